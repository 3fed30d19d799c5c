/**
 * Scenario "history": how fast a show's Temporal history grows, and so how often a 24-hour show continues as new.
 * Two shows go live on the local stack under the default policies (poll every 10 s): over a steady window the
 * script counts history events of both shows and of the account's composition monitor (the bench:show method,
 * bench/show-figures.ts), then counts the events one RECONNECTING → ACTIVE incident pair costs. The second show
 * was started with `continueAsNewAfterEvents` just above its live history, so the incidents make it continue as
 * new: the bench checks that the new run carries the composition, the incidents and keeps reacting.
 */
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import type { WorkflowHandle } from '@temporalio/client';
import { startPrivateLocalStack, type LocalStack } from '../dev/stack/local-stack';
import { startShow } from '../client/start-show';
import { compositionMonitorWorkflowId } from '../contracts/ids';
import { endUpdate, statusQuery } from '../contracts/show-messages';
import {
  benchShowSpec,
  channelArnFor,
  int,
  markdownTable,
  pollStatus,
  publishAsHost,
  REGION,
  runSuffix,
  sleep,
  type Progress,
  type ScenarioReport,
  type ShowHandle,
  startScenarioRun,
  type SummaryRow,
} from './bench-support';
import { apiCalls } from './show-figures';

export interface HistoryOptions {
  steadyMinutes: number;
}

/**
 * The Temporal server's defaults for suggesting continue-as-new (dynamic config limit.historyCount.
 * suggestContinueAsNew = 4 * 1024 events, limit.historySize.suggestContinueAsNew = 4 MiB); the dev server runs with
 * them, and a show continues as new when workflowInfo().continueAsNewSuggested says so.
 */
const SUGGEST_EVENTS = 4 * 1024;
const SUGGEST_BYTES = 4 * 1024 * 1024;
const SHOW_ACCOUNT = '123456789012';
/** Above its live history by less than two incident pairs: the demonstration show continues as new within three. */
const CAN_HEADROOM = 20;

interface Sample {
  length: number;
  bytes: number;
  runId: string;
}

async function sample(handle: WorkflowHandle): Promise<Sample> {
  const d = await handle.describe();
  return { length: d.historyLength, bytes: d.historySize ?? NaN, runId: d.runId };
}

async function goLive(stack: LocalStack, handle: ShowHandle): Promise<string> {
  const poll = { intervalMs: 250, timeoutMs: 120_000 };
  await pollStatus(handle, (s) => s.phase === 'WAITING_FOR_PUBLISHER', { ...poll, what: 'WAITING_FOR_PUBLISHER' });
  const token = await publishAsHost(handle, stack.control);
  await pollStatus(handle, (s) => s.phase === 'LIVE' && s.composition?.state === 'ACTIVE', { ...poll, what: 'LIVE' });
  return token;
}

/** One RECONNECTING → ACTIVE pair on the show's channel destination, each step awaited in the show's status. */
async function incidentPair(stack: LocalStack, handle: ShowHandle): Promise<void> {
  const poll = { intervalMs: 250, timeoutMs: 60_000 };
  const { composition } = await handle.query(statusQuery);
  const channelState = (s: { composition?: { destinations: { kind: string; state: string }[] } }) =>
    s.composition?.destinations.find((d) => d.kind === 'channel')?.state;
  await stack.control.setCompositionState({
    compositionArn: composition!.arn,
    state: 'RECONNECTING',
    destinationType: 'channel',
  });
  await pollStatus(handle, (s) => channelState(s) === 'RECONNECTING', { ...poll, what: 'RECONNECTING' });
  await stack.control.setCompositionState({
    compositionArn: composition!.arn,
    state: 'ACTIVE',
    destinationType: 'channel',
  });
  await pollStatus(handle, (s) => channelState(s) === 'ACTIVE' && s.phase === 'LIVE', { ...poll, what: 'ACTIVE' });
  // The monitor's and the show's last workflow tasks of the pair land shortly after the status turns.
  await sleep(2_000);
}

async function runsOf(stack: LocalStack, workflowId: string): Promise<number> {
  let runs = 0;
  for await (const _ of stack.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runs++;
  return runs;
}

export async function runHistory(o: HistoryOptions, progress: Progress, command: string): Promise<ScenarioReport> {
  const run = startScenarioRun();
  const stack = await startPrivateLocalStack(progress);
  const suffix = runSuffix();
  const bucket = `bench-history-${suffix}`;
  const tokens: string[] = [];
  try {
    await stack.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const start = (name: string, continueAsNewAfterEvents?: number) =>
      startShow(
        stack.client,
        benchShowSpec({
          id: `history-${name}-${suffix}`,
          name: 'History bench',
          channel: channelArnFor(`${name}${suffix}`),
          recordingBucket: bucket,
        }),
        { taskQueue: stack.taskQueue, monitorTaskQueue: stack.monitorTaskQueue, continueAsNewAfterEvents },
      );
    progress('history: show A goes live (default policies, channel + S3 recording)…');
    const a = await start('a');
    tokens.push(await goLive(stack, a));
    const liveA = await sample(a);
    progress(`history: show B goes live with continueAsNewAfterEvents ${liveA.length + CAN_HEADROOM}…`);
    const b = await start('b', liveA.length + CAN_HEADROOM);
    tokens.push(await goLive(stack, b));
    const liveB = await sample(b);
    const monitor = stack.client.workflow.getHandle(
      compositionMonitorWorkflowId(stack.monitorTaskQueue, SHOW_ACCOUNT, REGION),
    );
    await sleep(15_000); // as bench:show: let the monitor settle into steady polling
    const before = { a: await sample(a), b: await sample(b), monitor: await sample(monitor) };
    const callsBefore = await apiCalls(stack.emulator.endpoint);
    progress(`history: steady window of ${o.steadyMinutes} min…`);
    await sleep(o.steadyMinutes * 60_000);
    const after = { a: await sample(a), b: await sample(b), monitor: await sample(monitor) };
    const callsAfter = await apiCalls(stack.emulator.endpoint);

    progress('history: one incident pair on show A…');
    const pairBefore = { show: await sample(a), monitor: await sample(monitor) };
    await incidentPair(stack, a);
    const pairAfter = { show: await sample(a), monitor: await sample(monitor) };

    progress('history: incident pairs on show B until it continues as new…');
    const statusBefore = await b.query(statusQuery);
    let pairsToCan = 0;
    let lengthBeforeCan = NaN;
    for (; pairsToCan < 5;) {
      lengthBeforeCan = (await sample(b)).length;
      await incidentPair(stack, b);
      pairsToCan++;
      if ((await sample(b)).runId !== liveB.runId) break;
    }
    const newRun = await sample(b);
    const carried = await b.query(statusQuery);
    // The new run must still react: one more pair, seen through the same status query.
    await incidentPair(stack, b);
    const afterCan = await b.query(statusQuery);
    const runs = await runsOf(stack, b.workflowId);

    for (const h of [a, b]) await h.executeUpdate(endUpdate, { args: [{ reason: 'history bench over' }] });
    for (const t of tokens) await stack.control.leave({ token: t }).catch(() => undefined);
    await Promise.race([Promise.all([a.result(), b.result()]), sleep(60_000)]);

    const minutes = o.steadyMinutes;
    const perHour = (x: number) => (x / minutes) * 60;
    const showPerHour = perHour(after.a.length - before.a.length);
    const showBPerHour = perHour(after.b.length - before.b.length);
    const monitorPerHour = perHour(after.monitor.length - before.monitor.length);
    const perPair = pairAfter.show.length - pairBefore.show.length;
    const perPairBytes = pairAfter.show.bytes - pairBefore.show.bytes;
    const monitorPerPair = pairAfter.monitor.length - pairBefore.monitor.length;
    const steadyCalls = callsAfter.total - callsBefore.total;
    const perOperation = Object.entries(callsAfter.byOperation)
      .map(([op, n]) => [op, n - (callsBefore.byOperation[op] ?? 0)] as const)
      .filter(([, n]) => n > 0);
    const carriedOk =
      newRun.runId !== liveB.runId &&
      carried.composition?.arn === statusBefore.composition?.arn &&
      carried.incidents.length === statusBefore.incidents.length + 2 * pairsToCan &&
      afterCan.incidents.length === carried.incidents.length + 2;

    // A 24-hour show: the first run holds the events up to live; each incident pair adds `perPair`; steady time adds
    // `showPerHour` an hour. A run continues as new when the server suggests it (SUGGEST_EVENTS, or SUGGEST_BYTES).
    const day = 24;
    const eventBudget = SUGGEST_EVENTS - liveA.length - showPerHour * day;
    const byteBudget = SUGGEST_BYTES - liveA.bytes;
    const pairsPerRunByEvents = eventBudget / perPair;
    const pairsPerRunByBytes = byteBudget / perPairBytes;
    const pairsPerRun = Math.floor(Math.min(pairsPerRunByEvents, pairsPerRunByBytes));
    const perDay = (pairsPerHour: number) => Math.floor((pairsPerHour * day) / pairsPerRun);
    const monitorChangesPerRun = Math.floor(SUGGEST_EVENTS / (monitorPerPair / 2));

    const rows: SummaryRow[] = [
      {
        figure: 'History events per show-hour, steady (default policies, 10 s polls)',
        value: `${showPerHour.toFixed(1)} (show A), ${showBPerHour.toFixed(1)} (show B), ${monitorPerHour.toFixed(1)} (monitor)`,
      },
      {
        figure: 'History events per RECONNECTING → ACTIVE incident pair',
        value: `${perPair} (show), ${monitorPerPair} (monitor)`,
      },
      {
        figure: 'Continue-as-new of a 24-hour show (server suggests at 4,096 events / 4 MiB)',
        value:
          showPerHour === 0
            ? `never from time alone; one run holds ~${int(pairsPerRun)} incident pairs: ` +
              `${perDay(1)} in 24 h at 1 pair/h, ${perDay(10)} at 10 pairs/h`
            : `every ${(eventBudget / showPerHour).toFixed(0)} h without incidents; one every ${int(pairsPerRun)} incident pairs`,
      },
      {
        figure: 'Continue-as-new carries the show (demonstrated with continueAsNewAfterEvents)',
        value: carriedOk
          ? `yes: continued as new after ${pairsToCan} incident pair(s) (${runs} runs); same composition, ${carried.incidents.length} incidents carried, the new run reacted`
          : `NO: runs ${runs}, composition ${carried.composition?.arn === statusBefore.composition?.arn ? 'same' : 'changed'}, incidents ${statusBefore.incidents.length} → ${carried.incidents.length} → ${afterCan.incidents.length}`,
        verdict: carriedOk ? 'met' : 'missed',
        target: 'state carried',
        note: carriedOk ? undefined : 'the new run did not carry the composition and incidents, or did not react',
      },
    ];
    const details = [
      `Local stack; shows with one participant, a channel and an S3 recording destination, **default policies** ` +
        `(poll every 10 s); the bench publishes as the host. Steady window: ${minutes} min after a 15 s settle, ` +
        `counted with \`describe().historyLength\` on both shows and on the account's composition monitor ` +
        '(one per account and region, polling for every show). Incidents: the emulator control API puts the channel ' +
        'destination RECONNECTING, then ACTIVE again, each step awaited in the show status (events wired, as the ' +
        'local stack does).',
      '',
      markdownTable(
        ['figure', 'value'],
        [
          ['Show A history at LIVE (events / bytes)', `${liveA.length} / ${int(liveA.bytes)}`],
          [`Show A events in the ${minutes} min window`, String(after.a.length - before.a.length)],
          [`Show B events in the ${minutes} min window`, String(after.b.length - before.b.length)],
          [`Monitor events in the ${minutes} min window`, String(after.monitor.length - before.monitor.length)],
          [
            'IVS API calls per minute, steady (whole system, both shows)',
            `${(steadyCalls / minutes).toFixed(1)} (${perOperation.map(([op, n]) => `${op} ${(n / minutes).toFixed(1)}`).join(', ') || '—'}): one poll serves every show of the account`,
          ],
          ['Events / bytes per incident pair (show)', `${perPair} / ${int(perPairBytes)}`],
          ['Events per incident pair (monitor, one show changed)', String(monitorPerPair)],
          ['Incident pairs per run before the event suggestion', pairsPerRunByEvents.toFixed(0)],
          ['Incident pairs per run before the size suggestion', pairsPerRunByBytes.toFixed(0)],
          ['Monitor: composition changes per run before the suggestion', int(monitorChangesPerRun)],
          [
            'Show B: continueAsNewAfterEvents / history before the pair that crossed it / new run after CAN',
            `${liveA.length + CAN_HEADROOM} / ${lengthBeforeCan} / ${newRun.length} events`,
          ],
        ],
      ),
      '',
      `Estimate (clock-scaled, not a 24-hour run): a run can absorb (4,096 − ${liveA.length} − 24 h × ` +
        `${showPerHour.toFixed(1)}/h) / ${perPair} ≈ ${pairsPerRunByEvents.toFixed(0)} incident pairs by event count, ` +
        `and (4 MiB − ${int(liveA.bytes)} B) / ${int(perPairBytes)} B ≈ ${pairsPerRunByBytes.toFixed(0)} by size; the ` +
        'smaller one decides. Assumptions: the server defaults above, incidents like the measured pair (a failure ' +
        'that leads to a composition restart costs more events), and the steady rate measured here. The monitor ' +
        `spends about ${(monitorPerPair / 2).toFixed(0)} events per composition change, so it continues as new ` +
        `after ~${int(monitorChangesPerRun)} changes across all the shows of its account and region.`,
    ];
    return run.report({ id: 'history', title: 'History growth and continue-as-new', command, rows, details });
  } finally {
    await stack.stop();
  }
}
