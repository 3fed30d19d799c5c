/**
 * The cluster's tool installers without building anything: pins, overrides, and that the Go toolchain the server
 * needs reaches `go install` (through a stand-in `go` that records its environment, since a real build takes minutes).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { findPostgresBinDir, POSTGRES_BIN_ENV_VAR } from '../../dev/services/postgres';
import { resolveTemporalServerTool, TEMPORAL_SERVER_ENV_VARS } from '../../dev/tools/ensure-temporal-server';
import { goInstallIntoCache } from '../../dev/tools/go-install';
import { toolSpec } from '../../dev/tools/tool-versions';

function tempDir(t: { after(fn: () => void): void }, prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const previous = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(previous)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

void describe('Temporal cluster tools', () => {
  void test('server and schema tool are pinned to one release, each with the Go toolchain its go.mod needs', () => {
    const server = toolSpec('temporal-server');
    const sql = toolSpec('temporal-sql-tool');
    assert.equal(sql.version, server.version);
    assert.match(server.goModule, /^go\.temporal\.io\/server\/cmd\/server$/);
    assert.match(sql.goModule, /^go\.temporal\.io\/server\/cmd\/tools\/sql$/);
    for (const spec of [server, sql, toolSpec('temporal-ui-server')])
      assert.match(spec.goToolchain ?? '', /^go1\.\d+\.\d+$/);
  });

  void test('go install runs with GOTOOLCHAIN set to the pin, CGO off, and the binary lands in the cache', async (t) => {
    const dir = tempDir(t, 'showrunner-fake-go-');
    const record = path.join(dir, 'env.txt');
    const fakeGo = path.join(dir, 'go');
    fs.writeFileSync(
      fakeGo,
      `#!/bin/sh\necho "GOTOOLCHAIN=$GOTOOLCHAIN CGO_ENABLED=$CGO_ENABLED args=$*" > ${record}\n` +
        `printf '#!/bin/sh\\necho built\\n' > "$GOBIN/server"\nchmod +x "$GOBIN/server"\n`,
      { mode: 0o755 },
    );
    const spec = toolSpec('temporal-server');
    const built = await withEnv({ SHOWRUNNER_CACHE_DIR: path.join(dir, 'cache') }, () =>
      goInstallIntoCache(spec, fakeGo, 'TEMPORAL_SERVER'),
    );
    assert.equal(built, path.join(dir, 'cache', 'tools', `temporal-server-${spec.version}`, 'server'));
    assert.ok(fs.existsSync(built));
    assert.equal(
      fs.readFileSync(record, 'utf8').trim(),
      `GOTOOLCHAIN=${spec.goToolchain} CGO_ENABLED=0 args=install ${spec.goModule}@v${spec.version}`,
    );
  });

  void test('an override that does not exist or is not executable fails naming the variable', async (t) => {
    const dir = tempDir(t, 'showrunner-override-');
    const notExecutable = path.join(dir, 'server');
    fs.writeFileSync(notExecutable, 'not a binary', { mode: 0o644 });
    const envVar = TEMPORAL_SERVER_ENV_VARS['temporal-server'];
    await withEnv({ [envVar]: path.join(dir, 'missing') }, async () => {
      await assert.rejects(resolveTemporalServerTool('temporal-server'), new RegExp(`${envVar}=.* does not exist`));
    });
    await withEnv({ [envVar]: notExecutable }, async () => {
      await assert.rejects(
        resolveTemporalServerTool('temporal-server'),
        new RegExp(`${envVar}=.* is not an executable`),
      );
    });
    fs.chmodSync(notExecutable, 0o755);
    await withEnv({ [envVar]: notExecutable }, async () => {
      assert.deepEqual(await resolveTemporalServerTool('temporal-server'), { path: notExecutable, source: 'env' });
    });
  });

  void test('a PostgreSQL bin directory without the server binaries is refused, naming the variable', (t) => {
    const dir = tempDir(t, 'showrunner-pgbin-');
    assert.throws(() => findPostgresBinDir({ [POSTGRES_BIN_ENV_VAR]: dir }), new RegExp(`${POSTGRES_BIN_ENV_VAR}=`));
  });
});
