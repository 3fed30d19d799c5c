import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { startShow } from '../../client/start-show';
import { createDataConverter } from '../../security/data-converter';
import { loadKeyRing } from '../../security/encryption-keys';
import { parseShowSpec } from '../../show-spec/parse-show-spec';
import { endUpdate, statusQuery } from '../../contracts/show-messages';
import { WorkerProcess, workerProcessEnv } from '../../dev/process/worker-process';
import { startEmulatorFixture, type EmulatorFixture } from '../support/emulator-fixture';
import { TEST_KEY_RING_ENV } from '../support/show-harness';
import { testTemporalEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import { cachedWorkflowBundle } from '../../dev/services/workflow-bundle';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
}

interface OtlpExport {
  resourceSpans: {
    resource: { attributes: { key: string; value: { stringValue?: string } }[] };
    scopeSpans: { spans: OtlpSpan[] }[];
  }[];
}

/** A stand-in OTLP/HTTP collector: the exporter posts JSON to /v1/traces, which is all the test needs to read. */
async function startCollector(): Promise<{ endpoint: string; requests: OtlpExport[]; server: Server }> {
  const requests: OtlpExport[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpExport);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { endpoint: `http://127.0.0.1:${port}`, requests, server };
}

function spansOf(requests: OtlpExport[]): { service?: string; span: OtlpSpan }[] {
  return requests.flatMap((r) =>
    r.resourceSpans.flatMap((rs) => {
      const service = rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue;
      return rs.scopeSpans.flatMap((ss) => ss.spans.map((span) => ({ service, span })));
    }),
  );
}

/** The worker as operators run it (NODE_ENV=production, prebuilt bundle), with the tracing variables varied. */
void describe('worker tracing', () => {
  let fixture: EmulatorFixture;
  let collector: Awaited<ReturnType<typeof startCollector>>;
  let baseEnv: NodeJS.ProcessEnv;
  let connection: Connection;
  let client: Client;
  before(async () => {
    fixture = await startEmulatorFixture();
    collector = await startCollector();
    const temporal = testTemporalEnv();
    const { codePath } = await cachedWorkflowBundle();
    baseEnv = {
      ...workerProcessEnv({
        temporal,
        keyRingEnv: TEST_KEY_RING_ENV,
        ivsEndpoint: fixture.emulator.endpoint,
        workflowBundle: codePath,
      }),
      // Both runs name the collector; only SHOWRUNNER_OTEL_ENABLED decides whether anything is sent.
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint,
    };
    connection = await Connection.connect({ address: temporal.address });
    client = new Client({
      connection,
      namespace: temporal.namespace,
      dataConverter: createDataConverter(loadKeyRing(TEST_KEY_RING_ENV)),
    });
  });
  after(async () => {
    await connection?.close();
    collector?.server.close();
    await fixture?.stop();
  });

  /** Runs a show with no composition (LIVE at once) to its end on a worker process, then stops it with SIGTERM. */
  async function runShowOnWorker(
    name: string,
    env: NodeJS.ProcessEnv,
    workflowTracing = true,
  ): Promise<{ stdout: string }> {
    const taskQueue = `tracing-${name}-${process.pid}`;
    const worker = new WorkerProcess({ ...baseEnv, ...env, SHOWRUNNER_TASK_QUEUE: taskQueue });
    try {
      await worker.start();
      const spec = parseShowSpec({
        id: `trace-${name}-${process.pid}`,
        name: 'Tracing',
        schedule: { duration: '5m', leadTime: 0 },
        participants: [{ userId: 'host' }],
      });
      const handle = await startShow(client, spec, { taskQueue, workflowTracing });
      await waitFor(async () => (await handle.query(statusQuery)).phase === 'LIVE', 30_000, { intervalMs: 250 });
      await handle.executeUpdate(endUpdate, { args: [{ reason: 'tracing test' }] });
      await handle.result();
    } finally {
      const exit = await worker.stop(30_000);
      assert.equal(exit?.code, 0, `worker exit after SIGTERM (stderr: ${worker.stderr.slice(-500)})`);
    }
    return { stdout: worker.stdout };
  }

  void test('off by default: nothing reaches the collector, and the bundled interceptors find their sink', async () => {
    const { stdout } = await runShowOnWorker('off', {});
    assert.equal(collector.requests.length, 0);
    assert.doesNotMatch(stdout, /unregistered external sink/);
  });

  void test('SHOWRUNNER_OTEL_ENABLED=true exports workflow and activity spans of one trace, flushed by SIGTERM', async () => {
    collector.requests.length = 0;
    // A long batch delay: whatever arrives was sent by the flush at shutdown.
    await runShowOnWorker('on', {
      SHOWRUNNER_OTEL_ENABLED: 'true',
      OTEL_SERVICE_NAME: 'showrunner-tracing-test',
      OTEL_BSP_SCHEDULE_DELAY: '600000',
    });
    const spans = spansOf(collector.requests);
    const names = new Set(spans.map((s) => s.span.name));
    const run = spans.find((s) => s.span.name === 'RunWorkflow:showWorkflow');
    assert.ok(run, `a RunWorkflow:showWorkflow span among ${[...names].join(', ')}`);
    assert.equal(run.service, 'showrunner-tracing-test');
    const activities = spans.filter((s) => s.span.name.startsWith('RunActivity:'));
    assert.ok(activities.length > 0, `RunActivity spans among ${[...names].join(', ')}`);
    // The activity spans join the workflow's trace through the headers the workflow interceptor writes.
    assert.ok(
      activities.some((a) => a.span.traceId === run.span.traceId && a.span.parentSpanId),
      'an activity span in the workflow trace',
    );
    assert.ok(names.has('HandleUpdate:end'), `the end update traced among ${[...names].join(', ')}`);
  });

  void test('a run started untraced on a tracing worker exports its activity spans only', async () => {
    collector.requests.length = 0;
    await runShowOnWorker(
      'untraced',
      {
        SHOWRUNNER_OTEL_ENABLED: 'true',
        OTEL_SERVICE_NAME: 'showrunner-untraced-test',
        OTEL_BSP_SCHEDULE_DELAY: '600000',
      },
      false,
    );
    const spans = spansOf(collector.requests);
    const names = [...new Set(spans.map((s) => s.span.name))];
    // The worker traces its activities; the run's memo kept the workflow interceptors out of the run, so no workflow
    // span exists and no activity span has a parent from the workflow.
    assert.ok(
      names.some((n) => n.startsWith('RunActivity:')),
      `RunActivity spans among ${names.join(', ')}`,
    );
    assert.deepEqual(
      names.filter((n) => /^(RunWorkflow|StartActivity|HandleUpdate|HandleSignal|StartChildWorkflow)/.test(n)),
      [],
    );
  });
});
