/**
 * The suite's Temporal under SHOWRUNNER_TEMPORAL=cluster is what deploy/ describes: the pinned server release on
 * PostgreSQL for persistence and visibility, with deploy/temporal-dynamicconfig.yaml in force (the monitor task queue
 * on one partition while other queues keep the default four) and Showrunner's search attributes registered.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SHOWRUNNER_SEARCH_ATTRIBUTES } from '../../dev/services/search-attributes';
import { runTemporalCli } from '../../dev/tools/temporal-cli-exec';
import { toolSpec } from '../../dev/tools/tool-versions';
import { clusterOnly, testTemporalEnv } from '../support/test-env';

void describe('the Temporal cluster as deploy/ configures it', { skip: clusterOnly }, () => {
  const cli = async (args: string[]) => {
    const { address, namespace, cliPath } = testTemporalEnv();
    const { stdout } = await runTemporalCli(cliPath, [
      ...args,
      '--address',
      address,
      '--namespace',
      namespace,
      '-o',
      'json',
    ]);
    return JSON.parse(stdout) as unknown;
  };

  void test('the pinned server release, on PostgreSQL for persistence and visibility', async () => {
    const cluster = (await cli(['operator', 'cluster', 'describe'])) as Record<string, unknown>;
    assert.equal(cluster.serverVersion, toolSpec('temporal-server').version);
    assert.equal(cluster.persistenceStore, 'postgres12');
    assert.equal(cluster.visibilityStore, 'postgres12');
  });

  void test('the dynamic config is in force: the monitor queue has one partition, other queues the default four', async () => {
    const partitions = async (taskQueue: string) => {
      const listed = (await cli(['task-queue', 'list-partition', '--task-queue', taskQueue])) as {
        activityTaskQueuePartitions: unknown[];
      };
      return listed.activityTaskQueuePartitions.length;
    };
    assert.equal(await partitions('showrunner-monitor'), 1);
    assert.equal(await partitions('showrunner'), 4);
  });

  void test('Showrunner search attributes are registered with their types', async () => {
    const listed = (await cli(['operator', 'search-attribute', 'list'])) as {
      customAttributes: Record<string, string>;
    };
    for (const [name, type] of Object.entries(SHOWRUNNER_SEARCH_ATTRIBUTES)) {
      const expected = `INDEXED_VALUE_TYPE_${type.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`;
      assert.equal(listed.customAttributes[name], expected, name);
    }
  });
});
