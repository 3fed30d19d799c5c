import { randomBytes } from 'node:crypto';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { GetIngestConfigurationCommand } from '@aws-sdk/client-ivs-realtime';
import type { WorkflowHandle } from '@temporalio/client';
import { Option } from 'commander';
import { parseShowSpec } from '../../show-spec/parse-show-spec';
import type { showWorkflow } from '../../workflows';
import { startShow } from '../start-show';
import { endUpdate, participantTokensQuery, statusQuery } from '../../contracts/show-messages';
import type { ShowStatus } from '../../contracts/show-status';
import { startLocalStack, type LocalStack } from '../../dev/stack/local-stack';
import { stackCommand, stackOptionsFrom, type StackCommandOptions } from '../../dev/stack/run-stack';
import { removeStackEnvFile, stackSummary, uiLink, writeStackEnvFile } from '../../dev/stack/stack-summary';
import { stopOnSignals } from '../../dev/stack/stop-on-signals';
import { demoShowSpec } from './demo-show';

/**
 * `npm run demo`: a whole show on the embedded local stack. Simulated people join and publish, a broadcast
 * destination fails and the show recovers it, the show ends, everything is tidied up and the recordings are
 * indexed. Prints where to look in the Temporal Web UI.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const program = stackCommand(
  'npm run demo --',
  'Run a whole Showrunner show end to end on the local stack (`npm run stack`: Temporal dev server, S3 server, ' +
    'IVS emulator, codec server, events endpoint, worker).',
)
  .addOption(
    new Option('--keep', 'leave the stack running afterwards, to explore the Web UI and the CLI (Ctrl-C to stop)'),
  )
  .addOption(
    new Option('--live-seconds <n>', 'how long the show stays live before it is ended')
      .default(25)
      .argParser((v) => Number.parseInt(v, 10)),
  );

const say = (line: string) => console.log(`${new Date().toISOString().slice(11, 19)}  ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitForStatus(
  handle: WorkflowHandle<typeof showWorkflow>,
  what: string,
  ok: (s: ShowStatus) => boolean,
  timeoutMs = 120_000,
): Promise<ShowStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await handle.query(statusQuery);
    if (ok(status)) return status;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (phase ${status.phase})`);
    await sleep(500);
  }
}

function watchPhases(handle: WorkflowHandle<typeof showWorkflow>): () => void {
  let last = '';
  let seenIncidents = 0;
  let stopped = false;
  void (async () => {
    while (!stopped) {
      try {
        const s = await handle.query(statusQuery);
        const line = `${s.phase}${s.composition ? ` · composition ${s.composition.state} (${s.composition.destinations.map((d) => `${d.kind} ${d.state}`).join(', ')})` : ''}`;
        if (line !== last) say(`  show: ${line}`);
        last = line;
        for (const i of s.incidents.slice(seenIncidents)) say(`  incident: ${i.kind} — ${i.detail}`);
        seenIncidents = s.incidents.length;
      } catch {
        // The workflow may be between runs or finished.
      }
      await sleep(500);
    }
  })();
  return () => {
    stopped = true;
  };
}

async function runShow(stack: LocalStack, liveSeconds: number): Promise<void> {
  const id = `demo-${randomBytes(3).toString('hex')}`;
  const bucket = `showrunner-demo-${randomBytes(3).toString('hex')}`;
  await stack.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const spec = parseShowSpec(demoShowSpec(id, bucket, liveSeconds + 120));
  const handle = await startShow(stack.client, spec, {
    taskQueue: stack.taskQueue,
    monitorTaskQueue: stack.monitorTaskQueue,
  });
  const link = uiLink(stack, handle.workflowId);
  say(`show ${id} started — follow it in the Temporal Web UI: ${link}`);
  const stopWatching = watchPhases(handle);
  try {
    const prepared = await waitForStatus(handle, 'the stage', (s) => s.phase === 'WAITING_FOR_PUBLISHER');
    say(`stage ready: ${prepared.resources.stageArn}`);
    const tokens = await handle.query(participantTokensQuery);
    for (const t of tokens) {
      await stack.control.join(t.token, { publish: t.userId !== 'guest-cleo' });
      say(`  ${t.userId} joined${t.userId !== 'guest-cleo' ? ' and publishes' : ''}`);
    }
    const { ingestConfiguration } = await stack.ivs.send(
      new GetIngestConfigurationCommand({ arn: prepared.resources.ingestConfigurationArn }),
    );
    await stack.control.connectIngest(ingestConfiguration!.streamKey!, 'RTMPS');
    say('  the studio encoder streams over RTMPS');
    const live = await waitForStatus(
      handle,
      'the composition',
      (s) => s.phase === 'LIVE' && s.composition?.state === 'ACTIVE',
    );
    say(`on air: composition ${live.composition!.arn}`);
    await sleep((liveSeconds * 1000) / 2);
    say('simulating an outage: the channel destination FAILS');
    await stack.control.setCompositionState({
      compositionArn: live.composition!.arn,
      state: 'FAILED',
      destinationType: 'channel',
      reason: 'demo: channel broadcast failed',
    });
    const recovered = await waitForStatus(
      handle,
      'recovery',
      (s) => s.phase === 'LIVE' && s.composition?.arn !== live.composition!.arn && s.composition?.state === 'ACTIVE',
    );
    say(`recovered on a new composition ${recovered.composition!.arn}`);
    await sleep((liveSeconds * 1000) / 2);
    say('ending the show');
    await handle.executeUpdate(endUpdate, { args: [{ reason: 'demo finished' }] });
    for (const t of tokens) await stack.control.leave({ token: t.token }).catch(() => undefined);
    await stack.control.disconnectIngest(ingestConfiguration!.streamKey!).catch(() => undefined);
    const result = await handle.result();
    stopWatching();
    const inventory = await stack.control.inventory();
    console.log('');
    say(`show ${id}: ${result.outcome}`);
    say(`  made: ${result.made.map((r) => r.kind).join(', ')}`);
    say(
      `  removed: ${result.removed.map((r) => r.kind).join(', ')}; left behind: ${inventory.live.stages} stages, ${inventory.live.ingestConfigurations} ingest configurations, ${inventory.live.compositions} compositions`,
    );
    say(`  composition restarts: ${result.compositionRestarts}; incidents:`);
    for (const i of result.incidents) say(`    ${i.at.slice(11, 19)} ${i.kind}: ${i.detail}`);
    if (result.recordingsIndex) {
      const s = result.recordingsIndex.summary;
      say(`  recordings index: ${result.recordingsIndex.location.uri}`);
      say(
        `    ${s.participants} participants, ${s.participantRecordings} participant recordings, ${s.compositeRecordings} composite recordings, ${Math.round((s.totalDurationMs ?? 0) / 1000)} s of media`,
      );
    }
    say(`  Web UI: ${link}`);
  } finally {
    stopWatching();
  }
}

async function main(): Promise<void> {
  program.parse();
  const options = program.opts<StackCommandOptions & { keep?: boolean; liveSeconds: number }>();
  if (!Number.isInteger(options.liveSeconds) || options.liveSeconds < 6)
    throw new Error('--live-seconds must be a whole number of at least 6');
  const signals = stopOnSignals(say);
  const stack = await startLocalStack({ progress: say, ...stackOptionsFrom(options) });
  signals.stopWith(async () => {
    removeStackEnvFile();
    await stack.stop();
  });
  say(`Temporal Web UI: ${uiLink(stack)} · IVS emulator: ${stack.emulator.endpoint} · S3: ${stack.s3Server.endpoint}`);
  try {
    await runShow(stack, options.liveSeconds);
    if (options.keep) {
      const envFile = writeStackEnvFile(stack);
      console.log(`\n--keep: the local stack stays up.\n\n${stackSummary(stack, { envFile })}\n\nCtrl-C stops it all.`);
      // Runs until a signal: the handler stops the stack and exits.
      await new Promise<never>(() => undefined);
    }
  } finally {
    say('stopping the local stack');
    removeStackEnvFile();
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`demo failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
