import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  CreateStageCommand,
  ListIngestConfigurationsCommand,
  ListStagesCommand,
  paginateListCompositions,
} from '@aws-sdk/client-ivs-realtime';
import { Context } from '@temporalio/activity';
import { Client, Connection, type WorkflowFailedError } from '@temporalio/client';
import type { ActivityOptions, ApplicationFailure } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createAwsClients, type AwsClients } from '../../activities/aws-clients';
import { createCompositionActivities } from '../../activities/composition-activities';
import { createIngestActivities } from '../../activities/ingest-activities';
import type { IngestInfo } from '../../contracts/ingest';
import { attemptTimeoutMs, landingHorizonMs, type IvsTiming } from '../../contracts/ivs-timing';
import { createStageActivities } from '../../activities/stage-activities';
import type { StageInfo } from '../../contracts/stage';
import { isMadeBy, type ShowIdentity } from '../../contracts/tags';
import { emulatorFixturePerSuite, freshChannelArn } from '../support/emulator-scenarios';
import { apiCalls } from '../support/show-scenarios';
import { testTemporalEnv } from '../support/test-env';

/**
 * The windows of issue 10 at the activity level: a create that IVS applies after the client stopped waiting (the
 * emulator's latency fault applies the operation when the delay is over, whoever still listens), and a create whose
 * response is lost. Each runs the real activity in real Temporal attempts, and checks by listing IVS that exactly
 * one resource exists. Time is compressed: 1 s requests, a 3 s landing horizon.
 */
const TIMING: IvsTiming = { requestTimeoutMs: 1_000, lateApplyMs: 2_000, sdkMaxAttempts: 3, attemptMarginMs: 500 };
const HORIZON = landingHorizonMs(TIMING);
const REGION = 'us-east-1';

type Kind = 'stage' | 'ingest';
const OPERATION: Record<Kind, string> = { stage: 'CreateStage', ingest: 'CreateIngestConfiguration' };
const LIST: Record<Kind, string> = { stage: 'ListStages', ingest: 'ListIngestConfigurations' };

void describe('create windows: no duplicate when a create is slow or its answer is lost', () => {
  const fixture = emulatorFixturePerSuite();
  const taskQueue = `create-windows-${process.pid}`;
  let aws: AwsClients;
  let worker: Worker;
  let running: Promise<void>;
  let client: Client;
  let connection: Connection;
  let workerConnection: NativeConnection;
  /** Attempt numbers the activities saw, by workflow ID. */
  const attempts = new Map<string, number[]>();

  before(async () => {
    aws = createAwsClients({
      defaultRegion: REGION,
      ivsEndpoint: fixture.emulator.endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      timing: TIMING,
    });
    const stages = createStageActivities(aws);
    const ingest = createIngestActivities(aws);
    const seen = () => {
      const info = Context.current().info;
      const list = attempts.get(info.workflowExecution!.workflowId) ?? [];
      list.push(info.attempt);
      attempts.set(info.workflowExecution!.workflowId, list);
    };
    const temporal = testTemporalEnv();
    workerConnection = await NativeConnection.connect({ address: temporal.address });
    worker = await Worker.create({
      connection: workerConnection,
      namespace: temporal.namespace,
      taskQueue,
      workflowsPath: require.resolve('./call-activity-workflow'),
      activities: {
        ensureStage: (input: Parameters<typeof stages.ensureStage>[0]) => (seen(), stages.ensureStage(input)),
        ensureIngestConfiguration: (input: Parameters<typeof ingest.ensureIngestConfiguration>[0]) => (
          seen(),
          ingest.ensureIngestConfiguration(input)
        ),
      },
    });
    running = worker.run();
    connection = await Connection.connect({ address: temporal.address });
    client = new Client({ connection, namespace: temporal.namespace });
  });

  after(async () => {
    worker?.shutdown();
    await running;
    await workerConnection?.close();
    await connection?.close();
    aws?.destroy();
  });

  const identity = (): ShowIdentity => ({ showId: 'windows', workflowId: `w-${randomUUID()}`, runKey: randomUUID() });

  /** Runs the kind's ensure activity in a workflow with these activity options. */
  async function ensure(kind: Kind, id: ShowIdentity, stageArn: string | undefined, options: ActivityOptions) {
    const [name, input] =
      kind === 'stage'
        ? ['ensureStage', { region: REGION, identity: id, name: 'windows', tags: {} }]
        : [
            'ensureIngestConfiguration',
            {
              region: REGION,
              identity: id,
              stageArn,
              name: 'windows-ingest',
              protocol: 'RTMPS',
              insecureIngest: false,
              attributes: {},
              tags: {},
            },
          ];
    const started = Date.now();
    const result = (await client.workflow.execute('callActivity', {
      taskQueue,
      workflowId: id.workflowId,
      args: [name, [input], options],
    })) as StageInfo | IngestInfo;
    return { result, seconds: (Date.now() - started) / 1000, attempts: attempts.get(id.workflowId) ?? [] };
  }

  /** What IVS holds for this identity: stages by run tag, or ingest configurations on the stage. */
  async function listed(kind: Kind, id: ShowIdentity, stageArn: string | undefined): Promise<string[]> {
    if (kind === 'stage') {
      const { stages } = await fixture.ivs.send(new ListStagesCommand({ maxResults: 100 }));
      return (stages ?? []).filter((s) => isMadeBy(s.tags, id)).map((s) => s.arn!);
    }
    const { ingestConfigurations } = await fixture.ivs.send(
      new ListIngestConfigurationsCommand({ filterByStageArn: stageArn, maxResults: 100 }),
    );
    return (ingestConfigurations ?? []).map((c) => c.arn!);
  }

  async function setUp(kind: Kind) {
    const id = identity();
    const stageArn =
      kind === 'ingest'
        ? (await fixture.ivs.send(new CreateStageCommand({ name: 'windows-ingest-stage' }))).stage!.arn!
        : undefined;
    return { id, stageArn, before: await apiCalls(fixture) };
  }

  const arnOf = (r: StageInfo | IngestInfo) => ('stageArn' in r ? r.stageArn : r.ingestConfigurationArn);
  const createCalls = async (kind: Kind, before: Record<string, number>) =>
    ((await apiCalls(fixture))[OPERATION[kind]] ?? 0) - (before[OPERATION[kind]] ?? 0);

  for (const kind of ['stage', 'ingest'] as const) {
    void test(`${kind}: a create IVS applies after the request timed out is waited for within the attempt`, async () => {
      const { id, stageArn, before } = await setUp(kind);
      // Lands 2 s after it was sent: after the client gave up (1 s), within the horizon (3 s).
      await fixture.control.addFault({ operation: OPERATION[kind], mode: 'latency', latencyMs: 2_000, count: 1 });
      const run = await ensure(kind, id, stageArn, {
        startToCloseTimeout: attemptTimeoutMs(TIMING),
        retry: { maximumAttempts: 3 },
      });

      assert.deepEqual(run.attempts, [1], 'one attempt: it waited out its own request');
      assert.equal(run.result.created, true);
      assert.ok(run.seconds >= HORIZON / 1000, `waited until the horizon (${run.seconds} s)`);
      assert.deepEqual(await listed(kind, id, stageArn), [arnOf(run.result)]);
      assert.equal(await createCalls(kind, before), 1);
    });

    void test(`${kind}: a create slower than the attempt's start-to-close still leaves exactly one`, async () => {
      const { id, stageArn, before } = await setUp(kind);
      // The attempt (2.5 s) is too short to hold the horizon; the create lands at 2.8 s, after the attempt ended.
      await fixture.control.addFault({ operation: OPERATION[kind], mode: 'latency', latencyMs: 2_800, count: 1 });
      const run = await ensure(kind, id, stageArn, {
        startToCloseTimeout: 2_500,
        retry: { initialInterval: 100, maximumAttempts: 4 },
      });

      assert.deepEqual(run.attempts, [1, 2], 'the retry waited for the earlier request instead of creating');
      assert.equal(run.result.created, false);
      assert.deepEqual(await listed(kind, id, stageArn), [arnOf(run.result)]);
      assert.equal(await createCalls(kind, before), 1);
    });

    void test(`${kind}: a lost response is found at once, without waiting or retrying`, async () => {
      const { id, stageArn, before } = await setUp(kind);
      await fixture.control.addFault({ operation: OPERATION[kind], mode: 'lost-response', count: 1 });
      const run = await ensure(kind, id, stageArn, {
        startToCloseTimeout: attemptTimeoutMs(TIMING),
        retry: { maximumAttempts: 3 },
      });

      assert.deepEqual(run.attempts, [1]);
      assert.ok(run.seconds < HORIZON / 1000, `no wait for the horizon (${run.seconds} s)`);
      assert.deepEqual(await listed(kind, id, stageArn), [arnOf(run.result)]);
      assert.equal(await createCalls(kind, before), 1);
    });

    void test(`${kind}: a lost response followed by a retry leaves exactly one`, async () => {
      const { id, stageArn, before } = await setUp(kind);
      await fixture.control.addFault({ operation: OPERATION[kind], mode: 'lost-response', count: 1 });
      // Both looks of the first attempt fail (each is three SDK attempts), so the activity attempt fails after the
      // horizon; the retry looks again.
      await fixture.control.addFault({ operation: LIST[kind], errorType: 'InternalServerException', count: 6 });
      const run = await ensure(kind, id, stageArn, {
        startToCloseTimeout: attemptTimeoutMs(TIMING),
        retry: { initialInterval: 100, maximumAttempts: 3 },
      });

      assert.deepEqual(await fixture.control.listFaults(), [], 'every fault fired');
      assert.deepEqual(run.attempts, [1, 2]);
      assert.equal(run.result.created, false);
      assert.deepEqual(await listed(kind, id, stageArn), [arnOf(run.result)]);
      assert.equal(await createCalls(kind, before), 1);
    });
  }

  void test('a create that gets an answer (an error) is retried without waiting for a horizon', async () => {
    const { id, before } = await setUp('stage');
    await fixture.control.addFault({ operation: 'CreateStage', errorType: 'InternalServerException', count: 1 });
    const run = await ensure('stage', id, undefined, {
      startToCloseTimeout: attemptTimeoutMs(TIMING),
      retry: { initialInterval: 100, maximumAttempts: 3 },
    });
    assert.deepEqual(run.attempts, [1, 2]);
    assert.equal(run.result.created, true);
    assert.ok(run.seconds < HORIZON / 1000, `the answered failure left no fence (${run.seconds} s)`);
    assert.deepEqual(await listed('stage', id, undefined), [arnOf(run.result)]);
    assert.equal(await createCalls('stage', before), 2);
  });

  void test('an attempt without time left to see its create land sends nothing', async () => {
    const { id, before } = await setUp('stage');
    // 1.2 s attempts are shorter than a request plus the margin (1.5 s): never a create that outlives its attempt.
    await assert.rejects(
      ensure('stage', id, undefined, {
        startToCloseTimeout: 1_200,
        retry: { initialInterval: 100, maximumAttempts: 2 },
      }),
      (e: WorkflowFailedError) => {
        // WorkflowFailedError ← ActivityFailure ← ApplicationFailure (CreateNotSent)
        const failure = e.cause?.cause as ApplicationFailure | undefined;
        assert.equal(failure?.type, 'CreateNotSent');
        assert.match(failure.message, /CreateStage not sent/);
        return true;
      },
    );
    assert.deepEqual(await listed('stage', id, undefined), []);
    assert.equal(await createCalls('stage', before), 0);
  });

  void test('StartComposition slower than the request timeout: the SDK retries with the same token, one composition', async () => {
    const stageArn = (await fixture.ivs.send(new CreateStageCommand({ name: 'windows-composition' }))).stage!.arn!;
    const id = identity();
    // The first request lands after its client gave up and the SDK's second request (same token) made it.
    await fixture.control.addFault({ operation: 'StartComposition', mode: 'latency', latencyMs: 1_500, count: 1 });
    const started = await createCompositionActivities(aws).startComposition({
      region: REGION,
      identity: id,
      stageArn,
      idempotencyToken: `windows-${randomUUID()}`.slice(0, 64),
      layout: {},
      destinations: [{ channel: { channelArn: freshChannelArn() } }],
      tags: {},
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // let the slow first request land
    const onStage: string[] = [];
    for await (const page of paginateListCompositions({ client: fixture.ivs }, { filterByStageArn: stageArn }))
      for (const c of page.compositions ?? []) onStage.push(c.arn!);
    assert.deepEqual(onStage, [started.arn]);
  });
});
