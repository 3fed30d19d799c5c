import { Command, Option } from 'commander';
import { CODEC_ENV, loadCodecServerConfig } from './codec-server-config';
import { startCodecServer } from './codec-server';
import { describeKeyRing, loadKeyRing } from './encryption-keys';

/**
 * `npm run codec-server [-- --port 8888 --host 0.0.0.0]`: decodes payloads for the Temporal Web UI and CLI.
 * Keys: SHOWRUNNER_ENCRYPTION_KEYS or SHOWRUNNER_ENCRYPTION_KEY_FILE (the worker's ring). Tokens, CORS and limits:
 * SHOWRUNNER_CODEC_* (see codec-server-config.ts). Put TLS in front of it whenever it leaves loopback: it hands out
 * plaintext.
 */
const program = new Command()
  .name('codec-server')
  .description('Temporal codec server for Showrunner payloads (bearer-token protected)')
  .addOption(new Option('--host <host>', `address to listen on (default 127.0.0.1; env ${CODEC_ENV.host})`))
  .addOption(new Option('-p, --port <port>', `port to listen on (default 8888; env ${CODEC_ENV.port})`));

async function main(): Promise<void> {
  program.parse();
  const flags = program.opts<{ host?: string; port?: string }>();
  const config = loadCodecServerConfig(process.env, flags);
  const keyRing = loadKeyRing();
  const server = await startCodecServer({
    keyRing,
    tokens: config.tokens,
    jwt: config.jwt,
    corsOrigins: config.corsOrigins,
    corsAllowCredentials: config.corsAllowCredentials,
    host: config.host,
    port: config.port,
    maxBodyBytes: config.maxBodyBytes,
    log: (line) => console.log(`codec-server: ${line}`),
  });
  // Key ids and counts only: never a key or a token.
  console.log(
    `Showrunner codec server listening on ${server.url} (keys ${describeKeyRing(keyRing)}; ` +
      `${config.tokens.length} token(s)${config.jwt ? `, JWTs from ${config.jwt.issuer}` : ''}; CORS origins: ${config.corsOrigins.join(', ') || 'none'}` +
      `${config.corsAllowCredentials ? ', with credentials' : ''})`,
  );
  const shutdown = () => {
    server.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  console.error(`codec-server: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
