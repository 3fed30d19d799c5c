import type { FieldIssue } from '../../contracts/issues';

/** The CLI's contract with scripts: 0 ok, 1 the operation failed, 2 bad usage or input, 3 Temporal unreachable. */
export const EXIT = { ok: 0, failed: 1, usage: 2, unreachable: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error whose message already tells the operator what to do next. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    readonly issues?: FieldIssue[],
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const usageError = (message: string, issues?: FieldIssue[]) => new CliError(message, EXIT.usage, issues);
export const failedError = (message: string) => new CliError(message, EXIT.failed);
export const unreachable = (address: string) =>
  new CliError(
    `Cannot reach Temporal at ${address}: is the server running? set TEMPORAL_ADDRESS (or --address) and TEMPORAL_NAMESPACE`,
    EXIT.unreachable,
  );
