import { execFile } from 'node:child_process';

export interface CliResult {
  stdout: string;
  stderr: string;
}

/**
 * Runs a Temporal CLI client command. TEMPORAL_* variables are dropped because the CLI reads them as config
 * (address, namespace, TLS, API key) and our own TEMPORAL_ADDRESS export would otherwise leak into every call;
 * callers pass --address/--namespace explicitly.
 */
export async function runTemporalCli(cli: string, args: readonly string[], timeoutMs = 10_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(
      cli,
      [...args, '--color', 'never'],
      { env: temporalCliEnv(), timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          const output = `${stderr}${stdout}`.trim().split('\n').slice(-10).join('\n');
          reject(new Error(`\`temporal ${args.join(' ')}\` failed: ${error.message.split('\n')[0]}\n${output}`));
        } else {
          resolve({ stdout, stderr });
        }
      },
    );
  });
}

export function temporalCliEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith('TEMPORAL_')));
}
