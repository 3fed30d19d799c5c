import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { startPrivateLocalStack, type LocalStack } from '../dev/stack/local-stack';
import { startShow } from '../client/start-show';
import { parseShowSpec } from '../show-spec/parse-show-spec';
import type { ShowSpecInput } from '../show-spec/show-spec';
import { REPLAY_FIXTURE_KEYS } from '../test/replay/fixture-key';
import type { showWorkflow } from '../workflows';
import {
  audienceSignerQuery,
  endUpdate,
  extendUpdate,
  issueTokenUpdate,
  participantTokensQuery,
  restartCompositionUpdate,
  statusQuery,
} from '../contracts/show-messages';
import type { ShowStatus } from '../contracts/show-status';

/**
 * `npm run record:histories`: runs representative shows on the embedded stack and saves their histories to
 * test/replay/histories, which CI replays against the current workflow code to catch nondeterminism. Record
 * again after a deliberate, patched change of workflow behaviour (see README, "Changing workflow code").
 * `npm run record:histories -- --only <scenario>` records one scenario and leaves the other fixtures alone (a new
 * scenario must not re-record histories that older workflow code wrote).
 */
const OUT = path.resolve(__dirname, '../test/replay/histories');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(handle: WorkflowHandle<typeof showWorkflow>, ok: (s: ShowStatus) => boolean): Promise<ShowStatus> {
  for (let i = 0; i < 240; i++) {
    const s = await handle.query(statusQuery);
    if (ok(s)) return s;
    await sleep(500);
  }
  throw new Error('scenario timed out');
}

function spec(id: string, bucket: string, extra: Partial<ShowSpecInput> = {}): ShowSpecInput {
  return {
    id,
    name: `Replay ${id}`,
    schedule: { duration: '10m', leadTime: 0 },
    participants: [{ userId: 'host', role: 'host' }],
    ingest: { enabled: true },
    composition: { channelArn: 'arn:aws:ivs:us-east-1:123456789012:channel/replayChannel1', recording: { bucket } },
    individualRecording: { storage: { bucket }, hlsSegmentSeconds: 2 },
    policies: {
      pollInterval: '1s',
      reconnectingTolerance: '3s',
      restartBackoff: { initial: '1s' },
      recordingsSettleTimeout: '20s',
    },
    ...extra,
  };
}

type Scenario = (stack: LocalStack, bucket: string) => Promise<WorkflowHandle<typeof showWorkflow>>;

/**
 * Starts a show and takes it live. `workflowTracing` is the run's memo (contracts/workflow-tracing.ts): the older
 * scenarios record traced runs, as every run was before runs chose; the `-untraced` ones record runs without the
 * interceptors, whose histories differ where updates complete (the replay gate must hold for both).
 */
async function goLive(
  stack: LocalStack,
  input: ShowSpecInput,
  options: { continueAsNewAfterEvents?: number; workflowTracing?: boolean } = {},
) {
  const handle = await startShow(stack.client, parseShowSpec(input), {
    taskQueue: stack.taskQueue,
    monitorTaskQueue: stack.monitorTaskQueue,
    continueAsNewAfterEvents: options.continueAsNewAfterEvents,
    workflowTracing: options.workflowTracing ?? true,
  });
  await until(handle, (s) => s.phase === 'WAITING_FOR_PUBLISHER');
  const [token] = await handle.query(participantTokensQuery);
  await stack.control.join(token!.token, { publish: true });
  const live = await until(handle, (s) => s.phase === 'LIVE' && s.composition?.state === 'ACTIVE');
  return { handle, token: token!.token, live };
}

async function finish(stack: LocalStack, handle: WorkflowHandle<typeof showWorkflow>, token: string) {
  await handle.executeUpdate(endUpdate, { args: [{ reason: 'recording fixture' }] });
  await stack.control.leave({ token }).catch(() => undefined);
  await handle.result();
}

const scenarios: Record<string, Scenario> = {
  'happy-path': async (stack, bucket) => {
    const { handle, token } = await goLive(stack, spec('replay-happy', bucket));
    await sleep(3_000);
    await finish(stack, handle, token);
    return handle;
  },
  'destination-failed-restart': async (stack, bucket) => {
    const { handle, token, live } = await goLive(stack, spec('replay-restart', bucket));
    await stack.control.setCompositionState({
      compositionArn: live.composition!.arn,
      state: 'FAILED',
      destinationType: 'channel',
    });
    await until(handle, (s) => s.compositionRestarts === 1 && s.phase === 'LIVE' && s.composition?.state === 'ACTIVE');
    await stack.control.setCompositionState({
      compositionArn: (await handle.query(statusQuery)).composition!.arn,
      state: 'RECONNECTING',
      destinationType: 'channel',
    });
    await sleep(1_500);
    await stack.control.setCompositionState({
      compositionArn: (await handle.query(statusQuery)).composition!.arn,
      state: 'ACTIVE',
      destinationType: 'channel',
    });
    await sleep(2_000);
    await finish(stack, handle, token);
    return handle;
  },
  cancellation: async (stack, bucket) => {
    const { handle } = await goLive(stack, spec('replay-cancel', bucket));
    await handle.cancel();
    await handle.result().catch(() => undefined);
    return handle;
  },
  'continue-as-new': async (stack, bucket) => continueAsNewScenario(stack, bucket, 'replay-can', true),
  'continue-as-new-untraced': async (stack, bucket) =>
    continueAsNewScenario(stack, bucket, 'replay-can-untraced', false),
  // The audience key (imported at preparation, deleted at tidy-up) and every update a user sends a running show.
  'audience-and-updates': async (stack, bucket) => audienceAndUpdates(stack, bucket, 'replay-audience', true),
  'audience-and-updates-untraced': async (stack, bucket) =>
    audienceAndUpdates(stack, bucket, 'replay-audience-untraced', false),
};

async function continueAsNewScenario(stack: LocalStack, bucket: string, id: string, workflowTracing: boolean) {
  const { handle, token, live } = await goLive(stack, spec(id, bucket), {
    continueAsNewAfterEvents: 60,
    workflowTracing,
  });
  for (let i = 0; i < 6; i++) {
    await stack.control
      .setCompositionState({
        compositionArn: live.composition!.arn,
        state: 'RECONNECTING',
        destinationType: 'channel',
      })
      .catch(() => undefined);
    await sleep(800);
    await stack.control
      .setCompositionState({ compositionArn: live.composition!.arn, state: 'ACTIVE', destinationType: 'channel' })
      .catch(() => undefined);
    await sleep(800);
  }
  await finish(stack, handle, token);
  return handle;
}

async function audienceAndUpdates(stack: LocalStack, bucket: string, id: string, workflowTracing: boolean) {
  const { handle, token } = await goLive(
    stack,
    spec(id, bucket, {
      audience: { enabled: true, attributes: { maxBytes: 256, allowedKeys: ['seat'] } },
    }),
    { workflowTracing },
  );
  const signer = await handle.query(audienceSignerQuery);
  if (!signer) throw new Error('the audience show has no audience signer');
  await handle.executeUpdate(issueTokenUpdate, { args: [{ userId: 'guest-1', capabilities: ['SUBSCRIBE'] }] });
  await handle.executeUpdate(extendUpdate, { args: [{ endAt: new Date(Date.now() + 20 * 60_000).toISOString() }] });
  await handle.executeUpdate(restartCompositionUpdate, { args: [{ reason: 'recording fixture' }] });
  await until(handle, (s) => s.compositionRestarts === 1 && s.phase === 'LIVE' && s.composition?.state === 'ACTIVE');
  await finish(stack, handle, token);
  return handle;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { only: { type: 'string', multiple: true } } });
  const chosen = values.only ?? Object.keys(scenarios);
  const unknown = chosen.filter((name) => !(name in scenarios));
  if (unknown.length > 0)
    throw new Error(`--only: unknown scenario ${unknown.join(', ')} (known: ${Object.keys(scenarios).join(', ')})`);
  const stack = await startPrivateLocalStack((line) => console.error(line), {
    SHOWRUNNER_ENCRYPTION_KEYS: REPLAY_FIXTURE_KEYS,
  });
  try {
    await mkdir(OUT, { recursive: true });
    const bucket = `replay-${Date.now().toString(36)}`;
    await stack.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    for (const name of chosen) {
      const run = scenarios[name]!;
      console.error(`recording ${name}…`);
      const handle = await run(stack, bucket);
      // Every run of the chain: continue-as-new leaves one history per run.
      const runs: string[] = [];
      for await (const w of stack.client.workflow.list({ query: `WorkflowId = '${handle.workflowId}'` }))
        runs.push(w.runId);
      let n = 0;
      for (const id of runs.reverse()) {
        const history = await stack.client.workflow.getHandle(handle.workflowId, id).fetchHistory();
        const file = path.join(OUT, `${name}${runs.length > 1 ? `-run${++n}` : ''}.json`);
        // The JSON norm of Temporal's tools (CLI, Web UI export), so fixtures can also be inspected or replayed there.
        await writeFile(
          file,
          JSON.stringify(
            { workflowId: handle.workflowId, runId: id, history: JSON.parse(historyToJSON(history)) as unknown },
            null,
            1,
          ),
        );
        console.error(`  wrote ${path.relative(process.cwd(), file)} (${history.events?.length ?? 0} events)`);
      }
    }
  } finally {
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
