import type { CliError } from './cli-errors';

/**
 * Where results and errors go. With --json, stdout carries only JSON (one document per result, one per line when
 * watching) and errors are JSON on stderr, so scripts never parse prose.
 */
export class Output {
  constructor(readonly json: boolean) {}

  /** A command's result: `human` lines, or `data` as JSON. */
  result(data: unknown, human: () => string | string[]): void {
    if (this.json) process.stdout.write(`${JSON.stringify(data)}\n`);
    else {
      const text = human();
      process.stdout.write(`${Array.isArray(text) ? text.join('\n') : text}\n`);
    }
  }

  /** Progress and hints for people: stderr, so stdout stays pipeable; silent with --json. */
  note(message: string): void {
    if (!this.json) process.stderr.write(`${message}\n`);
  }

  error(error: CliError): void {
    if (this.json) {
      const body = { error: { message: error.message, exitCode: error.exitCode, issues: error.issues } };
      process.stderr.write(`${JSON.stringify(body)}\n`);
      return;
    }
    const issues = (error.issues ?? []).map((i) => `  - ${i.path}: ${i.message}`);
    process.stderr.write(`${['Error: ' + error.message, ...issues].join('\n')}\n`);
  }
}

/** A plain text table: columns padded to their widest cell, `-` for empty cells. */
export function table(headers: string[], rows: (string | undefined)[][]): string[] {
  const cells = [headers, ...rows.map((r) => r.map((c) => (c === undefined || c === '' ? '-' : c)))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? (c ?? '') : (c ?? '').padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

/** ISO instants read better without milliseconds. */
export const shortTime = (value: string | Date | undefined): string | undefined =>
  value === undefined ? undefined : new Date(value).toISOString().replace(/\.\d{3}Z$/, 'Z');
