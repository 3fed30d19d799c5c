import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { fieldIssues, issueList, type FieldIssue } from '../contracts/issues';
import { showSpecSchema, type ShowSpec } from './show-spec';

/** A spec that fails validation, with every failing field and rule. */
export class ShowSpecError extends Error {
  constructor(
    readonly issues: FieldIssue[],
    readonly source?: string,
  ) {
    super(issueList(`Invalid show spec${source ? ` ${source}` : ''}`, issues));
    this.name = 'ShowSpecError';
  }
}

export function parseShowSpec(input: unknown, source?: string): ShowSpec {
  const result = showSpecSchema.safeParse(input);
  if (!result.success) throw new ShowSpecError(fieldIssues(result.error.issues, '(spec)'), source);
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
