import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { SHOWRUNNER_SEARCH_ATTRIBUTES } from '../../dev/services/search-attributes';
import { pinnedNodeLines, PRODUCTION_NODE_LINE } from '../../dev/tools/ensure-node-line';
import { JEMALLOC_CONF, PRODUCTION_ALLOCATOR } from '../../dev/process/worker-allocator';
import { YOUNG_GENERATION_FLAGS } from '../../worker/young-generation';

const REPO = path.resolve(__dirname, '../..');
const COMPOSE_FILE = path.join(REPO, 'docker-compose.yml');
const ENV_EXAMPLE = path.join(REPO, 'deploy/showrunner.env.example');

interface Service {
  image?: string;
  build?: unknown;
  command?: string | string[];
  restart?: string;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  depends_on?: Record<string, { condition?: string }> | string[];
  environment?: Record<string, string | number | boolean | null>;
  ports?: string[];
}

// Merge keys (`<<: *anchor`) are YAML 1.1; docker-compose resolves them, so the parser must too.
const compose = parse(fs.readFileSync(COMPOSE_FILE, 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const services = Object.entries(compose.services);

/** The variables the file requires (`${VAR:?...}`), with harmless stand-ins: what `config` needs to resolve. */
function dummyEnv(): Record<string, string> {
  const text = fs.readFileSync(COMPOSE_FILE, 'utf8');
  const required = new Set([...text.matchAll(/\$\{([A-Z0-9_]+):\?/g)].map((m) => m[1]!));
  return Object.fromEntries([...required].map((name) => [name, `dummy-${name.toLowerCase()}`]));
}

function dockerCompose(args: string[], env: Record<string, string>) {
  // A clean environment: the developer's own variables must not make the check pass.
  return spawnSync('docker-compose', ['-f', COMPOSE_FILE, ...args], {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

const composeBinary = spawnSync('docker-compose', ['version'], { encoding: 'utf8' });
const noCompose =
  composeBinary.error || composeBinary.status !== 0
    ? 'docker-compose is not installed (Debian: apt-get install docker-compose); the static checks below still run'
    : false;

void describe('docker-compose.yml through docker-compose itself', () => {
  void test(
    '`docker-compose config -q` accepts the file once the required variables are set',
    { skip: noCompose },
    () => {
      const result = dockerCompose(['config', '-q'], dummyEnv());
      assert.equal(result.status, 0, `docker-compose config failed:\n${result.stderr}`);
    },
  );

  void test('without the secrets (the example env file as shipped) it refuses, naming one', { skip: noCompose }, () => {
    const result = dockerCompose(['--env-file', ENV_EXAMPLE, 'config', '-q'], {});
    assert.notEqual(result.status, 0, 'compose must not start with empty secrets');
    assert.match(result.stderr, /set [A-Z_]+ \(see deploy\/showrunner\.env\.example\)/);
  });
});

void describe('docker-compose.yml static checks', () => {
  const oneShot = (name: string, service: Service) =>
    service.restart === 'no' &&
    services.some(
      ([, other]) =>
        !Array.isArray(other.depends_on) && other.depends_on?.[name]?.condition === 'service_completed_successfully',
    );

  void test('has every service of the stack', () => {
    for (const name of [
      'postgresql',
      'temporal-schema',
      'temporal',
      'temporal-admin-tools',
      'temporal-ui',
      's3',
      'ivs-emulator',
      'codec-server',
      'events-endpoint',
      'worker',
      'prometheus',
      'grafana',
    ])
      assert.ok(compose.services[name], `missing service ${name}`);
  });

  void test('every service has a health check or is a one-shot job something waits for', () => {
    for (const [name, service] of services) {
      if (oneShot(name, service)) continue;
      assert.ok(service.healthcheck?.test && !service.healthcheck.disable, `${name} has no health check`);
      assert.notEqual(service.restart, 'no', `${name} is long-running but not restarted`);
    }
  });

  void test('dependencies wait for health (or completion), never for a mere start', () => {
    for (const [name, service] of services) {
      if (service.depends_on === undefined) continue;
      assert.ok(!Array.isArray(service.depends_on), `${name}: depends_on must use conditions`);
      for (const [dependency, { condition }] of Object.entries(service.depends_on)) {
        const target = compose.services[dependency];
        assert.ok(target, `${name} depends on unknown ${dependency}`);
        const expected = oneShot(dependency, target) ? 'service_completed_successfully' : 'service_healthy';
        assert.equal(condition, expected, `${name} -> ${dependency}`);
      }
    }
  });

  void test('images are pinned: an explicit tag, never latest', () => {
    for (const [name, service] of services) {
      assert.ok(service.image, `${name} has no image name`);
      const match = /^(?<repo>[^@]+?)(?::(?<tag>[\w][\w.-]{0,127}))?(?:@sha256:[0-9a-f]{64})?$/.exec(service.image);
      const tag = match?.groups?.tag;
      assert.ok(tag, `${name}: image ${service.image} has no tag`);
      assert.notEqual(tag, 'latest', `${name}: image ${service.image} is not pinned`);
      // Our own image is built here, so its tag is a local name; third-party ones must name a version.
      if (!service.build) assert.match(tag, /\d/, `${name}: tag ${tag} names no version`);
    }
  });

  void test('secrets are required variables or empty optional ones, never literals', () => {
    // TEMPORAL_CODEC_PASS_ACCESS_TOKEN is a switch, not a token.
    const secretName = /PASSWORD|PWD|SECRET|(?<!PASS_ACCESS)_TOKENS?$|ENCRYPTION_KEYS|ACCESS_KEY/;
    for (const [name, service] of services) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (!secretName.test(key)) continue;
        assert.match(String(value), /^\$\{[A-Z0-9_]+:(\?[^}]+|-)\}$/, `${name}: ${key} must come from a variable`);
      }
    }
  });

  void test('published ports bind to loopback only', () => {
    for (const [name, service] of services)
      for (const port of service.ports ?? []) assert.match(port, /^127\.0\.0\.1:/, `${name}: ${port}`);
  });

  void test('the admin job registers exactly the search attributes the workflows use', () => {
    const command = ([] as string[]).concat(compose.services['temporal-admin-tools']?.command ?? []).join('\n');
    const registered = Object.fromEntries(
      [...command.matchAll(/--name (\w+) --type (\w+)/g)].map((m) => [m[1]!, m[2]!] as const),
    );
    assert.deepEqual(registered, { ...SHOWRUNNER_SEARCH_ATTRIBUTES });
  });

  void test('our services run compiled entry points that `npm run build` emits, with plain node', () => {
    const built = (JSON.parse(fs.readFileSync(path.join(REPO, 'tsconfig.build.json'), 'utf8')) as { files: string[] })
      .files;
    for (const [name, service] of services) {
      if (!service.build) continue;
      for (const command of [service.command, service.healthcheck?.test]) {
        const text = ([] as string[]).concat(command ?? []).join(' ');
        assert.doesNotMatch(text, /\btsx\b|npm run/, `${name} runs from dist/, not the sources: ${text}`);
        for (const [, entry] of text.matchAll(/\bdist\/(\S+)\.js\b/g))
          assert.ok(built.includes(`${entry}.ts`), `${name} runs dist/${entry}.js, which tsconfig.build.json lacks`);
      }
    }
  });
});

void describe('Dockerfile', () => {
  const dockerfile = fs.readFileSync(path.join(REPO, 'Dockerfile'), 'utf8');

  void test('is multi-stage: npm ci, npm run build, a production runtime without devDependencies', () => {
    assert.ok((dockerfile.match(/^FROM /gm) ?? []).length >= 3);
    assert.match(dockerfile, /^RUN npm ci$/m);
    assert.match(dockerfile, /^RUN npm run build$/m);
    assert.match(dockerfile, /^RUN npm ci --omit=dev$/m);
    const runtime = dockerfile
      .slice(dockerfile.search(/FROM \S+ AS runtime/))
      .split('\n')
      .filter((line) => !line.startsWith('#'))
      .join('\n');
    assert.match(runtime, /^COPY --from=prod-deps \/app\/node_modules/m);
    assert.match(runtime, /^COPY --from=build \/app\/dist /m);
    assert.doesNotMatch(runtime, /COPY --from=(deps|build) \/app \/app|\btsx\b/);
    // The worker starts with the young generation the benches measure (worker/young-generation.ts).
    const cmd = /^CMD (\[.*\])$/m.exec(runtime)?.[1];
    assert.ok(cmd, 'no CMD in exec form');
    assert.deepEqual(JSON.parse(cmd), ['node', ...YOUNG_GENERATION_FLAGS, 'dist/worker/main.js']);
    assert.match(dockerfile, /FROM \S+ AS runtime/);
    assert.match(dockerfile, /NODE_ENV=production/);
    assert.match(dockerfile, /SHOWRUNNER_WORKFLOW_BUNDLE=\/app\/dist\/workflow-bundle\.js/);
    assert.match(dockerfile, /^USER node$/m);
  });

  // The benches' workers run on PRODUCTION_ALLOCATOR with these settings, so their memory figures are the image's.
  void test('its processes run on the allocator the benches measure', () => {
    assert.equal(PRODUCTION_ALLOCATOR, 'jemalloc');
    assert.match(dockerfile, /apt-get install -y --no-install-recommends libjemalloc2/);
    const preload = /^ENV LD_PRELOAD=(\S+)/m.exec(dockerfile)?.[1];
    assert.ok(preload, 'no LD_PRELOAD');
    assert.match(dockerfile, new RegExp(`ln -s .*libjemalloc\\.so\\.2\\)?"? ${preload.replace(/\./g, '\\.')}$`, 'm'));
    assert.equal(/^\s*MALLOC_CONF=(\S+)$/m.exec(dockerfile)?.[1], JEMALLOC_CONF);
    // Installed as root, before the image drops to the unprivileged user.
    assert.ok(dockerfile.indexOf('libjemalloc2') < dockerfile.indexOf('USER node'));
  });

  void test('its base image is pinned', () => {
    const base = /^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1];
    assert.ok(base, 'NODE_IMAGE has no default');
    assert.match(base, /^node:\d+\.\d+\.\d+-/);
    // The benches run their workers on PRODUCTION_NODE_LINE, so their figures are the image's.
    assert.equal(base.split(':')[1]!.split('-')[0], pinnedNodeLines().get(PRODUCTION_NODE_LINE));
  });
});
