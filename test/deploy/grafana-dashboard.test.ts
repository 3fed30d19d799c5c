import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { parse } from 'yaml';
import { startShow } from '../../client/start-show';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../dev/aws/local-aws';
import { getFreePort } from '../../dev/process/net-utils';
import { WorkerProcess, workerProcessEnv } from '../../dev/process/worker-process';
import { cachedWorkflowBundle } from '../../dev/services/workflow-bundle';
import { createDataConverter } from '../../security/data-converter';
import { loadKeyRing } from '../../security/encryption-keys';
import { parseShowSpec } from '../../show-spec/parse-show-spec';
import { participantTokensQuery, statusQuery } from '../../contracts/show-messages';
import type { ShowStatus } from '../../contracts/show-status';
import { startEmulatorFixture, type EmulatorFixture } from '../support/emulator-fixture';
import { freshChannelArn } from '../support/emulator-scenarios';
import { TEST_KEY_RING_ENV } from '../support/show-harness';
import { testTemporalEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import { DASHBOARD_FILE, dashboardQueries, metricNames, scrapedNames, scrapedTypes } from './dashboard-metrics';

const REPO = path.resolve(__dirname, '../..');

void describe('Grafana dashboard (deploy/grafana)', () => {
  void test('every panel has a query that parses, on the provisioned Prometheus data source', async () => {
    const dashboard = JSON.parse(fs.readFileSync(DASHBOARD_FILE, 'utf8')) as {
      uid: string;
      panels: { title: string; type: string; datasource?: { uid?: string }; targets?: unknown[] }[];
    };
    const datasources = parse(
      fs.readFileSync(path.join(REPO, 'deploy/grafana/provisioning/datasources/prometheus.yaml'), 'utf8'),
    ) as {
      datasources: { uid: string; type: string; url: string }[];
    };
    const prometheus = datasources.datasources.find((d) => d.type === 'prometheus')!;
    const drawn = dashboard.panels.filter((p) => p.type !== 'row');
    assert.ok(drawn.length >= 6);
    for (const p of drawn) {
      assert.equal(p.datasource?.uid, prometheus.uid, `panel ${p.title} uses the provisioned data source`);
      assert.ok((p.targets ?? []).length > 0, `panel ${p.title} has a query`);
    }
    for (const q of dashboardQueries()) assert.ok((await metricNames(q.expr)).length > 0, `${q.panel}: ${q.expr}`);
    // The provider loads the folder the dashboard is in, where compose mounts it.
    const provider = parse(
      fs.readFileSync(path.join(REPO, 'deploy/grafana/provisioning/dashboards/showrunner.yaml'), 'utf8'),
    ) as { providers: { options: { path: string } }[] };
    assert.equal(provider.providers[0]!.options.path, '/etc/grafana/dashboards');
  });

  void describe('against a real worker running a show', () => {
    let fixture: EmulatorFixture;
    before(async () => {
      fixture = await startEmulatorFixture({
        clockScale: 1,
        timings: { compositionStartMs: 500, compositionStopMs: 500, destinationReconnectWindowMs: 60_000 },
      });
    });
    after(async () => fixture.stop());

    void test('every metric the queries name is one the worker exports', async () => {
      const temporal = testTemporalEnv();
      const { codePath } = await cachedWorkflowBundle();
      const metricsPort = await getFreePort();
      const taskQueue = `dashboard-${process.pid}`;
      const worker = new WorkerProcess({
        ...workerProcessEnv({
          temporal,
          keyRingEnv: TEST_KEY_RING_ENV,
          ivsEndpoint: fixture.emulator.endpoint,
          credentials: LOCAL_CREDENTIALS,
          region: LOCAL_REGION,
          workflowBundle: codePath,
          taskQueue,
        }),
        SHOWRUNNER_METRICS_ADDRESS: `127.0.0.1:${metricsPort}`,
      });
      const connection = await Connection.connect({ address: temporal.address });
      const scrape = async () => (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      try {
        const client = new Client({
          connection,
          namespace: temporal.namespace,
          dataConverter: createDataConverter(loadKeyRing(TEST_KEY_RING_ENV)),
        });
        await worker.start();
        await waitFor(() => scrape().catch(() => undefined), 60_000, {
          intervalMs: 250,
          description: () => `metrics endpoint (${worker.output()})`,
        });
        // Everything the dashboard draws: phases, a failed IVS call (retried), a destination incident and a restart.
        // A 4xx the AWS SDK does not retry itself but Temporal does: one failed (counted) attempt, then the start.
        await fixture.control.addFault({
          operation: 'StartComposition',
          errorType: 'DashboardTestFault',
          statusCode: 400,
          count: 1,
        });
        const spec = parseShowSpec({
          id: `dashboard-${process.pid}`,
          name: 'Dashboard metrics',
          schedule: { duration: '5m', leadTime: 0 },
          participants: [{ userId: 'host' }],
          composition: { channelArn: freshChannelArn() },
          policies: { pollInterval: '1s', restartBackoff: { initial: 0 } },
        });
        const handle = await startShow(client, spec, { taskQueue });
        const status = (predicate: (s: ShowStatus) => boolean, description: string) =>
          waitFor(
            async () => {
              const s = await handle.query(statusQuery);
              return predicate(s) ? s : undefined;
            },
            60_000,
            { intervalMs: 250, description },
          );
        await status((s) => s.phase === 'WAITING_FOR_PUBLISHER', 'waiting for a publisher');
        const [token] = await handle.query(participantTokensQuery);
        await fixture.control.join(token!.token, { publish: true });
        const live = await status((s) => s.phase === 'LIVE' && s.composition?.state === 'ACTIVE', 'on air');
        await fixture.control.setCompositionState({
          compositionArn: live.composition!.arn,
          state: 'FAILED',
          destinationType: 'channel',
        });
        await status((s) => s.compositionRestarts === 1 && s.phase === 'LIVE', 'restarted');

        const queries = dashboardQueries();
        const wanted = new Set<string>();
        for (const q of queries) for (const name of await metricNames(q.expr)) wanted.add(name);
        let exposition = '';
        const missing = () => [...wanted].filter((n) => !scrapedNames(exposition).has(n));
        try {
          await waitFor(
            async () => {
              exposition = await scrape();
              return missing().length === 0 ? true : undefined;
            },
            30_000,
            { intervalMs: 1_000 },
          );
        } catch {
          // Reported below, with what was there.
        }
        const names = [...scrapedNames(exposition)].sort();
        assert.deepEqual(missing(), [], `not exported; the worker exports:\n${names.join('\n')}`);
        // Suffixes say how a name may be used: _bucket only inside histogram_quantile, rate() over counters.
        const types = scrapedTypes(exposition);
        for (const q of queries)
          for (const name of await metricNames(q.expr)) {
            const family = name.replace(/_(bucket|sum|count)$/, '');
            if (name.endsWith('_bucket')) {
              assert.equal(types.get(family), 'histogram', `${name} (${q.panel})`);
              assert.match(q.expr, /histogram_quantile\(/, `${q.panel}: buckets are read through histogram_quantile`);
            } else if (/\b(rate|increase)\(/.test(q.expr) && types.get(name) !== undefined)
              assert.equal(types.get(name), 'counter', `${q.panel}: rate/increase of ${name}, a ${types.get(name)}`);
          }
        await handle.terminate('test over');
      } finally {
        await worker.stop(30_000);
        await connection.close();
      }
    });
  });
});
