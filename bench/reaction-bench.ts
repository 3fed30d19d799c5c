/**
 * Scenario "reaction": a destination fails; how long until the show has started a new composition. Once with the
 * emulator's events wired to the events endpoint (as the local stack does), once with polling only (the emulator's
 * webhook unsubscribed). Default policies: poll every 10 s, restart backoff from 5 s.
 */
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { startPrivateLocalStack, type LocalStack } from '../dev/stack/local-stack';
import { startShow } from '../client/start-show';
import { restartDelayMs } from '../workflows/show/decisions';
import { endUpdate } from '../contracts/show-messages';
import {
  benchShowSpec,
  channelArnFor,
  machineSnapshot,
  markdownTable,
  median,
  pollStatus,
  publishAsHost,
  recordIvsCalls,
  recordIvsEvents,
  runSuffix,
  seconds,
  sleep,
  type IvsCallLog,
  type Progress,
  type ScenarioReport,
  type SummaryRow,
} from './bench-support';

export interface ReactionOptions {
  reps: number;
  statusPollMs: number;
}

type Mode = 'events' | 'polling';

interface Reaction {
  mode: Mode;
  rep: number;
  /** Milliseconds after the destination failed. */
  noticed: number;
  oldStopped: number;
  /** The show's last GetComposition before the new StartComposition: when it learnt the old one had STOPPED. */
  stoppedKnown: number;
  startComposition: number;
  newKnown: number;
  /** When, in the monitor's poll cycle, the failure came (ms after the show was seen LIVE). */
  offset: number;
}

const SHOW_ACCOUNT = '123456789012';

async function oneReaction(
  stack: LocalStack,
  recorders: { calls: IvsCallLog; events: ReturnType<typeof recordIvsEvents> },
  o: ReactionOptions,
  mode: Mode,
  rep: number,
  names: { suffix: string; bucket: string; pollInterval: number },
): Promise<Reaction> {
  const spec = benchShowSpec({
    id: `reaction-${mode}-${rep}-${names.suffix}`,
    name: 'Reaction bench',
    channel: channelArnFor(`reaction${mode}${rep}${names.suffix}`),
    recordingBucket: names.bucket,
  });
  const handle = await startShow(stack.client, spec, {
    taskQueue: stack.taskQueue,
    monitorTaskQueue: stack.monitorTaskQueue,
  });
  const slow = { intervalMs: 250, timeoutMs: 120_000 };
  await pollStatus(handle, (s) => s.phase === 'WAITING_FOR_PUBLISHER', { ...slow, what: 'WAITING_FOR_PUBLISHER' });
  const token = await publishAsHost(handle, stack.control);
  const live = await pollStatus(handle, (s) => s.phase === 'LIVE' && s.composition?.state === 'ACTIVE', {
    ...slow,
    what: 'LIVE',
  });
  // Failures land at spread-out points of the monitor's poll cycle, so the median is not one lucky phase.
  const offset = Math.round(((rep + 0.5) / o.reps) * names.pollInterval);
  await sleep(offset);
  const oldArn = live.status.composition!.arn;
  const t0 = Date.now();
  await stack.control.setCompositionState({ compositionArn: oldArn, state: 'FAILED', destinationType: 'channel' });
  const fast = { intervalMs: o.statusPollMs, timeoutMs: 120_000 };
  const noticed = await pollStatus(
    handle,
    (s) => s.phase === 'RECOVERING' || s.incidents.some((i) => i.kind === 'DESTINATION_FAILED'),
    { ...fast, what: 'failure noticed' },
  );
  const replaced = await pollStatus(handle, (s) => !!s.composition && s.composition.arn !== oldArn, {
    ...fast,
    what: 'new composition',
  });
  await handle.executeUpdate(endUpdate, { args: [{ reason: 'reaction bench over' }] });
  // Past tidy-up is enough: the recordings index that follows only lists S3, and waiting for it would double the
  // scenario's time.
  await pollStatus(handle, (s) => ['INDEXING', 'COMPLETED', 'FAILED'].includes(s.phase), { ...slow, what: 'tidy-up' });
  await stack.control.leave({ token }).catch(() => undefined);
  const started = recorders.calls.calls.find(
    (c) => c.operation === 'StartComposition' && c.accountId === SHOW_ACCOUNT && c.at >= t0,
  );
  const lastGet = recorders.calls.calls
    .filter((c) => c.operation === 'GetComposition' && c.at >= t0 && c.at <= (started?.at ?? Infinity))
    .pop();
  return {
    mode,
    rep,
    noticed: noticed.at - t0,
    oldStopped: (recorders.events.first('Session End', oldArn)?.at ?? NaN) - t0,
    stoppedKnown: (lastGet?.at ?? NaN) - t0,
    startComposition: (started?.at ?? NaN) - t0,
    newKnown: replaced.at - t0,
    offset,
  };
}

export async function runReaction(o: ReactionOptions, progress: Progress, command: string): Promise<ScenarioReport> {
  const startedAt = new Date();
  const machineBefore = machineSnapshot();
  const stack = await startPrivateLocalStack(progress);
  const recorders = { calls: recordIvsCalls(stack.emulator), events: recordIvsEvents(stack.emulator) };
  const suffix = runSuffix();
  const bucket = `bench-reaction-${suffix}`;
  const defaults = benchShowSpec({ id: 'defaults', name: 'defaults', channel: channelArnFor('defaults') }).policies;
  const backoff = restartDelayMs(defaults.restartBackoff, 1);
  const results: Reaction[] = [];
  try {
    await stack.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    for (const mode of ['events', 'polling'] as const) {
      if (mode === 'polling') {
        // Polling only: nothing tells the shows early any more.
        for (const s of stack.emulator.events.listSubscriptions()) await stack.control.unsubscribe(s.id);
      }
      for (let rep = 0; rep < o.reps; rep++) {
        progress(`reaction: ${mode}, repetition ${rep + 1}/${o.reps}…`);
        results.push(
          await oneReaction(stack, recorders, o, mode, rep, { suffix, bucket, pollInterval: defaults.pollInterval }),
        );
      }
    }
  } finally {
    await stack.stop();
  }

  const m = (mode: Mode, pick: (r: Reaction) => number) => median(results.filter((r) => r.mode === mode).map(pick));
  const rows: SummaryRow[] = (['events', 'polling'] as const).map((mode) => ({
    figure: `Destination FAILED → new composition started, ${mode === 'events' ? 'events endpoint' : 'polling only (10 s)'}`,
    value:
      `${seconds(m(mode, (r) => r.startComposition))} s median ` +
      `(noticed after ${seconds(m(mode, (r) => r.noticed))} s; ${seconds(backoff)} s of it is the restart backoff)`,
  }));
  const details = [
    `Local stack; each repetition is a fresh show (default policies: poll every ${defaults.pollInterval / 1000} s, ` +
      `first restart after ${backoff / 1000} s, a channel and an S3 recording destination) that goes live with the ` +
      'bench publishing as the host; then the emulator control API fails the channel destination ' +
      "(`setCompositionState FAILED, destinationType channel`). Time 0 is that call. 'StartComposition' is when the " +
      "emulator answered the new composition's StartComposition (the emulator's view, same clock); 'noticed' and " +
      `'new known' come from status queries every ${o.statusPollMs} ms. The failure is placed at ` +
      `(rep + ½) / ${o.reps} of the poll interval after the show was seen LIVE, to spread it over the poll cycle. ` +
      'Polling only = every webhook subscription of the emulator removed before the polling repetitions.',
    '',
    markdownTable(
      [
        'mode',
        'rep',
        'offset s',
        'noticed',
        'old composition STOPPED (emulator)',
        'STOPPED known',
        'StartComposition',
        'new known',
      ],
      results.map((r) => [
        r.mode,
        String(r.rep + 1),
        seconds(r.offset),
        seconds(r.noticed),
        seconds(r.oldStopped),
        seconds(r.stoppedKnown),
        seconds(r.startComposition),
        seconds(r.newKnown),
      ]),
    ),
    '',
    `Of each reaction, ${backoff / 1000} s is the policy's restart backoff (restartBackoff.initial), not latency: the ` +
      'show waits that long on purpose before starting the replacement. Before that it stops the old composition ' +
      'and waits for STOPPED with awaitCompositionStopped, which polls GetComposition at 250 ms backing off to 2 s ' +
      "and is woken early by the composition's Session End event when events reach the show: 'STOPPED known' is " +
      "that poll's last call, against the emulator's 1 s stop.",
  ];
  return {
    id: 'reaction',
    title: 'Reaction to a failed destination',
    command,
    startedAt: startedAt.toISOString(),
    durationSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
    machineBefore,
    machineAfter: machineSnapshot(),
    rows,
    details,
  };
}
