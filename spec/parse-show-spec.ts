import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { showSpecSchema, type ShowSpec } from './show-spec';

export interface SpecIssue {
  /** Dotted path of the failing field, e.g. `participants.0.userId`. */
  path: string;
  message: string;
}

/** A spec that fails validation, with every failing field and rule. */
export class ShowSpecError extends Error {
  constructor(
    readonly issues: SpecIssue[],
    readonly source?: string,
  ) {
    super(
      `Invalid show spec${source ? ` ${source}` : ''}:\n${issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n')}`,
    );
    this.name = 'ShowSpecError';
  }
}

export function issuesOf(error: z.ZodError): SpecIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(spec)', message: i.message }));
}

export function parseShowSpec(input: unknown, source?: string): ShowSpec {
  const result = showSpecSchema.safeParse(input);
  if (!result.success) throw new ShowSpecError(issuesOf(result.error), source);
  return result.data;
}

/** Reads a YAML (.yaml/.yml) or JSON spec file. */
export async function loadShowSpecFile(file: string): Promise<ShowSpec> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new ShowSpecError(
      [
        {
          path: '(file)',
          message: `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        },
      ],
      file,
    );
  }
  return parseShowSpecText(text, path.extname(file).toLowerCase() === '.json' ? 'json' : 'yaml', file);
}

export function parseShowSpecText(text: string, format: 'json' | 'yaml', source?: string): ShowSpec {
  let data: unknown;
  try {
    data = format === 'json' ? JSON.parse(text) : parseYaml(text, { prettyErrors: true });
  } catch (e) {
    throw new ShowSpecError(
      [{ path: '(file)', message: `not valid ${format.toUpperCase()}: ${(e as Error).message}` }],
      source,
    );
  }
  return parseShowSpec(data, source);
}
