/**
 * docker-compose.yml must run what the native cluster (dev/services/temporal-cluster.ts, the one the cluster tests
 * exercise) runs: the same Temporal server, schema tool and UI versions as scripts/tool-versions.json pins, and the same
 * files from deploy/ for the server config, the dynamic config, the schema set-up and the UI config. Nothing here
 * needs Docker: it reads the compose file, so a bump on one side without the other fails here.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { CLUSTER_FILES } from '../../dev/services/temporal-cluster';
import { toolSpec } from '../../dev/tools/tool-versions';

const REPO = path.resolve(__dirname, '../..');

interface Service {
  image?: string;
  entrypoint?: string | string[];
  environment?: Record<string, string | number | boolean | null>;
  volumes?: string[];
}

const compose = parse(fs.readFileSync(path.join(REPO, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};

function service(name: string): Service {
  const found = compose.services[name];
  assert.ok(found, `docker-compose.yml has no service ${name}`);
  return found;
}

function imageTag(name: string): { repo: string; tag: string } {
  const image = service(name).image ?? '';
  const at = image.lastIndexOf(':');
  return { repo: image.slice(0, at), tag: image.slice(at + 1) };
}

/** Where compose mounts a repository file in a service: the container path, or undefined. */
function mountPoint(name: string, file: string): string | undefined {
  for (const volume of service(name).volumes ?? []) {
    const [source, target] = volume.split(':');
    if (source && target && path.resolve(REPO, source) === file) return target;
  }
  return undefined;
}

void describe('docker-compose.yml runs what the native cluster runs', () => {
  void test('the Temporal server, its schema tool and the admin tools are the pinned server version', () => {
    const server = toolSpec('temporal-server').version;
    assert.equal(toolSpec('temporal-sql-tool').version, server, 'schema tool and server are one release');
    assert.deepEqual(imageTag('temporal'), { repo: 'temporalio/server', tag: server });
    assert.deepEqual(imageTag('temporal-schema'), { repo: 'temporalio/admin-tools', tag: server });
    assert.deepEqual(imageTag('temporal-admin-tools'), { repo: 'temporalio/admin-tools', tag: server });
  });

  void test('the Web UI is the pinned UI server version', () => {
    assert.deepEqual(imageTag('temporal-ui'), { repo: 'temporalio/ui', tag: toolSpec('temporal-ui-server').version });
  });

  void test('the server gets deploy/temporal-server.yaml and deploy/temporal-dynamicconfig.yaml', () => {
    const env = service('temporal').environment ?? {};
    const config = mountPoint('temporal', CLUSTER_FILES.serverConfig);
    const dynamic = mountPoint('temporal', CLUSTER_FILES.dynamicConfig);
    assert.ok(config, 'deploy/temporal-server.yaml is mounted');
    assert.ok(dynamic, 'deploy/temporal-dynamicconfig.yaml is mounted');
    assert.equal(env.TEMPORAL_SERVER_CONFIG_FILE_PATH, config, 'the server is pointed at the mounted config');
    assert.equal(env.TEMPORAL_DYNAMIC_CONFIG_FILE, dynamic, 'the config is pointed at the mounted dynamic config');
  });

  void test('every TEMPORAL_* variable compose gives the server is one the config template reads; the database ones are set', () => {
    const template = fs.readFileSync(CLUSTER_FILES.serverConfig, 'utf8');
    const read = new Set([...template.matchAll(/env "([A-Z0-9_]+)"/g)].map((m) => m[1]!));
    const given = Object.keys(service('temporal').environment ?? {}).filter(
      (key) => key.startsWith('TEMPORAL_') && key !== 'TEMPORAL_SERVER_CONFIG_FILE_PATH',
    );
    for (const key of given) assert.ok(read.has(key), `compose sets ${key}, which deploy/temporal-server.yaml ignores`);
    for (const key of ['TEMPORAL_DB_HOST', 'TEMPORAL_DB_PASSWORD'])
      assert.ok(given.includes(key), `compose does not set ${key}`);
  });

  void test('the schema job runs deploy/temporal-schema-setup.sh, as the native cluster does', () => {
    const script = mountPoint('temporal-schema', CLUSTER_FILES.schemaSetup);
    assert.ok(script, 'deploy/temporal-schema-setup.sh is mounted');
    assert.deepEqual(([] as string[]).concat(service('temporal-schema').entrypoint ?? []), ['sh', script]);
  });

  void test('the UI server gets deploy/temporal-ui.yaml as its config', () => {
    assert.equal(mountPoint('temporal-ui', CLUSTER_FILES.uiConfig), '/home/ui-server/config/docker.yaml');
  });
});
