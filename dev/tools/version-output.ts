import { execFileSync } from 'node:child_process';

/** What a tool says its version is, on one line; the set-up scripts print it beside the pin it should match. */
export function versionOutput(binary: string): string {
  try {
    return execFileSync(binary, ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim().replace(/\s+/g, ' ');
  } catch (error) {
    return `(--version failed: ${(error as Error).message})`;
  }
}

/** The set-up scripts' ending: a failure is one readable line and exit code 1. */
export function runSetup(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
