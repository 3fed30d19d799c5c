import { CommanderError } from 'commander';
import { parseCommandLine } from './cli-options';
import { parseEmulatorConfig } from './config';
import { startEmulator } from './emulator';

/** `npm run emulator -- --port 4566`: every setting from a flag or its environment variable (see cli-options.ts). */
async function main(): Promise<void> {
  let input;
  try {
    input = parseCommandLine(process.argv.slice(2), process.env);
  } catch (e) {
    // --help and --version print and stop; commander has already said what was wrong with a bad flag.
    if (e instanceof CommanderError) process.exit(e.exitCode);
    throw e;
  }
  const config = parseEmulatorConfig(input);
  const emulator = await startEmulator(config);
  const settings = [
    config.controlApi
      ? `control API ${emulator.endpoint}/_emulator${config.controlToken ? ' (token required)' : ''}`
      : 'no control API',
    `clock x${config.clockScale}`,
    `SigV4 ${config.verifySignatures ? 'verified' : 'not verified'}`,
    `12-digit account keys ${config.accountKeyShortcut ? 'on' : 'off'}`,
    `rate limits ${config.rateLimits ? 'on' : 'off'}`,
    `recordings ${config.s3 ? `to ${config.s3.endpoint}` : 'off (no S3 server)'}`,
  ];
  console.log(`IVS Real-Time emulator listening on ${emulator.endpoint} (${settings.join(', ')})`);
  const shutdown = () => {
    emulator.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((e: unknown) => {
  console.error(`ivs-emulator: ${(e as Error).message}`);
  process.exit(1);
});
