/**
 * Scenario "overhead": what Showrunner's durability costs in wall-clock time. A show on the local stack and a plain
 * script making the same IVS calls in sequence, against the same emulator, each timed from "go" to composition ACTIVE
 * and from "end" to tidy-up complete, with and without injected API latency.
 */
import {
  CreateIngestConfigurationCommand,
  CreateParticipantTokenCommand,
  CreateStageCommand,
  DeleteIngestConfigurationCommand,
  DeleteStageCommand,
  GetCompositionCommand,
  IVSRealTimeClient,
  paginateListEncoderConfigurations,
  StartCompositionCommand,
  StopCompositionCommand,
} from '@aws-sdk/client-ivs-realtime';
import { startPrivateLocalStack, type LocalStack } from '../dev/stack/local-stack';
import { startShow } from '../client/start-show';
import { encoderConfigurationName } from '../activities/shared-configurations';
import { endUpdate } from '../contracts/show-messages';
import {
  benchShowSpec,
  channelArnFor,
  CREDENTIALS,
  machineSnapshot,
  markdownTable,
  median,
  pollStatus,
  publishAsHost,
  recordIvsCalls,
  recordIvsEvents,
  REGION,
  runSuffix,
  seconds,
  sleep,
  type IvsCallLog,
  type Progress,
  type ScenarioReport,
  type SummaryRow,
} from './bench-support';
import { showTimeline, type TimelineStep } from './show-timeline';

export interface OverheadOptions {
  reps: number;
  latenciesMs: number[];
  /** The plain script's GetComposition interval; the show's pollInterval is the same. */
  pollMs: number;
  /** How often the bench asks a show for its status. */
  statusPollMs: number;
}

/** Issue 15: both phases within 1.2x of the plain script. */
const TARGET_RATIO = 1.2;
const TARGET_LATENCY_MS = 50;
/** Both sides sign as the same account, as a script run next to Showrunner would. */
const ACCOUNT = '123456789012';

/** Milliseconds from "go" (start phase) or from "end" (end phase). */
interface StartPhase {
  /** The orchestrator knows the composition is ACTIVE: the figure. */
  seen: number;
  startComposition: number;
  /** The emulator made the composition ACTIVE (its Session Start event). */
  active: number;
  calls: number;
  /** Showrunner only: WAITING_FOR_PUBLISHER seen, and the bench's publisher joined. */
  prepared?: number;
  publisherJoined?: number;
}

interface EndPhase {
  /** The orchestrator has deleted the ingest configuration and the stage: the figure. */
  seen: number;
  stopComposition: number;
  /** The emulator stopped the composition (its Session End event). */
  stopped: number;
  deleteStage: number;
  calls: number;
}

interface Side {
  start: StartPhase;
  end: EndPhase;
  /** Showrunner only: the show's steps from its history, in ms from go (before end) or from end. */
  timeline?: (TimelineStep & { phase: 'go' | 'end' })[];
}

interface Rep {
  latencyMs: number;
  rep: number;
  showrunner: Side;
  script: Side;
}

interface Recorders {
  calls: IvsCallLog;
  events: ReturnType<typeof recordIvsEvents>;
}

const ENDED_PHASES = new Set(['INDEXING', 'COMPLETED', 'FAILED', 'CANCELLED']);

/** Every IVS call of the account in the window: the show's, its monitor's and the events endpoint's lookups. */
const countCalls = (r: Recorders, from: number, to: number) =>
  r.calls.between(from, to).filter((c) => c.accountId === ACCOUNT).length;

/** Runs are sequential, so the first such call after "go" or "end" is this run's. */
function emulatorTimes(r: Recorders, compositionArn: string, t0: number, t2: number) {
  const call = (operation: string, from: number) =>
    (r.calls.calls.find((c) => c.operation === operation && c.accountId === ACCOUNT && c.at >= from)?.at ?? NaN) - from;
  return {
    startComposition: call('StartComposition', t0),
    active: (r.events.first('Session Start', compositionArn)?.at ?? NaN) - t0,
    stopComposition: call('StopComposition', t2),
    stopped: (r.events.first('Session End', compositionArn)?.at ?? NaN) - t2,
    deleteStage: call('DeleteStage', t2),
  };
}

async function showrunnerRun(stack: LocalStack, r: Recorders, o: OverheadOptions, n: string): Promise<Side> {
  const spec = benchShowSpec({
    id: `overhead-${n}`,
    name: 'Overhead bench',
    channel: channelArnFor(`overhead${n}`),
    ingest: true,
    policies: { pollInterval: o.pollMs },
  });
  const poll = { intervalMs: o.statusPollMs, timeoutMs: 120_000 };
  const t0 = Date.now();
  const handle = await startShow(stack.client, spec, {
    taskQueue: stack.taskQueue,
    monitorTaskQueue: stack.monitorTaskQueue,
  });
  let token: string | undefined;
  let preparedAt = NaN;
  let joinedAt = NaN;
  const active = await pollStatus(
    handle,
    async (s) => {
      // The default policy starts the composition on the first publisher: the bench publishes as soon as it may.
      if (!token && s.phase === 'WAITING_FOR_PUBLISHER') {
        preparedAt = Date.now();
        token = await publishAsHost(handle, stack.control);
        joinedAt = Date.now();
      }
      return s.composition?.state === 'ACTIVE';
    },
    { ...poll, what: 'composition ACTIVE' },
  );
  const t2 = Date.now();
  await handle.executeUpdate(endUpdate, { args: [{ reason: 'overhead bench' }] });
  // A client waiting for the end holds the workflow's result (a long poll, answered when it closes) as well as
  // polling its status: a closed workflow answers a query only after the worker replays its history, which would
  // charge the show 0.2–0.4 s that no waiting client sees. The earlier of the two is when the show was seen done.
  const completedAt = handle.result().then(
    () => Date.now(),
    () => Number.POSITIVE_INFINITY,
  );
  const polled = await pollStatus(handle, (s) => ENDED_PHASES.has(s.phase), { ...poll, what: 'tidy-up' });
  const tidied = { ...polled, at: Math.min(polled.at, await completedAt) };
  if (tidied.status.phase !== 'COMPLETED')
    throw new Error(`show ${spec.id} ended ${tidied.status.phase}: ${JSON.stringify(tidied.status.incidents)}`);
  // The stage is gone by now, and the publisher with it.
  await stack.control.leave({ token: token! }).catch(() => undefined);
  await handle.result();
  const e = emulatorTimes(r, active.status.composition!.arn, t0, t2);
  const rel = (ms: number | undefined, from: number) => (ms === undefined ? undefined : ms - from);
  const timeline = (await showTimeline(handle)).map((step) => {
    const from = step.at < t2 ? t0 : t2;
    return {
      ...step,
      phase: step.at < t2 ? ('go' as const) : ('end' as const),
      at: step.at - from,
      startedAt: rel(step.startedAt, from),
      closedAt: rel(step.closedAt, from),
    };
  });
  return {
    timeline,
    start: {
      seen: active.at - t0,
      startComposition: e.startComposition,
      active: e.active,
      calls: countCalls(r, t0, active.at),
      prepared: preparedAt - t0,
      publisherJoined: joinedAt - t0,
    },
    end: {
      seen: tidied.at - t2,
      stopComposition: e.stopComposition,
      stopped: e.stopped,
      deleteStage: e.deleteStage,
      calls: countCalls(r, t2, tidied.at),
    },
  };
}

/** The script's client, counting its own calls: the emulator cannot tell them from the events endpoint's lookups. */
interface ScriptClient {
  ivs: IVSRealTimeClient;
  sent: number;
}

function scriptClient(endpoint: string): ScriptClient {
  const client: ScriptClient = {
    ivs: new IVSRealTimeClient({ endpoint, region: REGION, credentials: CREDENTIALS }),
    sent: 0,
  };
  client.ivs.middlewareStack.add(
    (next) => (args) => {
      client.sent++;
      return next(args);
    },
    { step: 'initialize', name: 'countScriptCalls' },
  );
  return client;
}

/** The same calls a person would write by hand, in order, polling at the same interval the show uses. */
async function scriptRun(
  script: ScriptClient,
  r: Recorders,
  o: OverheadOptions,
  encoderArn: string,
  n: string,
): Promise<Side> {
  const { ivs } = script;
  const pollUntil = async (arn: string, state: string) => {
    for (;;) {
      const { composition } = await ivs.send(new GetCompositionCommand({ arn }));
      if (composition?.state === state) return;
      await sleep(o.pollMs);
    }
  };
  const sent0 = script.sent;
  const t0 = Date.now();
  const { stage } = await ivs.send(new CreateStageCommand({ name: `script-${n}` }));
  await ivs.send(new CreateParticipantTokenCommand({ stageArn: stage!.arn, userId: 'host' }));
  const { ingestConfiguration } = await ivs.send(
    new CreateIngestConfigurationCommand({ stageArn: stage!.arn, name: `script-${n}-ingest`, ingestProtocol: 'RTMPS' }),
  );
  const { composition } = await ivs.send(
    new StartCompositionCommand({
      stageArn: stage!.arn,
      layout: { grid: {} },
      destinations: [
        { name: 'channel', channel: { channelArn: channelArnFor(`script${n}`), encoderConfigurationArn: encoderArn } },
      ],
    }),
  );
  await pollUntil(composition!.arn!, 'ACTIVE');
  const t1 = Date.now();
  const sent1 = script.sent;
  const t2 = Date.now();
  await ivs.send(new StopCompositionCommand({ arn: composition!.arn }));
  await pollUntil(composition!.arn!, 'STOPPED');
  await ivs.send(new DeleteIngestConfigurationCommand({ arn: ingestConfiguration!.arn, force: true }));
  await ivs.send(new DeleteStageCommand({ arn: stage!.arn }));
  const t3 = Date.now();
  const e = emulatorTimes(r, composition!.arn!, t0, t2);
  return {
    start: {
      seen: t1 - t0,
      startComposition: e.startComposition,
      active: e.active,
      calls: sent1 - sent0,
    },
    end: {
      seen: t3 - t2,
      stopComposition: e.stopComposition,
      stopped: e.stopped,
      deleteStage: e.deleteStage,
      calls: script.sent - sent1,
    },
  };
}

/** The shared encoder configuration the warm-up show made: a script would create one once and reuse it. */
async function sharedEncoderArn(ivs: IVSRealTimeClient): Promise<string> {
  const name = encoderConfigurationName('hd-720p30');
  for await (const page of paginateListEncoderConfigurations({ client: ivs }, {}))
    for (const e of page.encoderConfigurations ?? []) if (e.name === name && e.arn) return e.arn;
  throw new Error(`encoder configuration ${name} not found after the warm-up show`);
}

export async function runOverhead(o: OverheadOptions, progress: Progress, command: string): Promise<ScenarioReport> {
  const startedAt = new Date();
  const machineBefore = machineSnapshot();
  const stack = await startPrivateLocalStack(progress);
  const recorders: Recorders = { calls: recordIvsCalls(stack.emulator), events: recordIvsEvents(stack.emulator) };
  const script = scriptClient(stack.emulator.endpoint);
  const reps: Rep[] = [];
  const suffix = runSuffix();
  try {
    // Warm-up, not measured: JIT, connections, the worker's workflow cache, and the shared encoder configuration
    // every later show finds and the script is handed.
    progress('overhead: warm-up show and script…');
    await showrunnerRun(stack, recorders, o, `${suffix}-warm`);
    const encoderArn = await sharedEncoderArn(script.ivs);
    await scriptRun(script, recorders, o, encoderArn, `${suffix}-warm`);
    for (const latencyMs of o.latenciesMs) {
      const fault =
        latencyMs > 0 ? await stack.control.addFault({ operation: '*', mode: 'latency', latencyMs }) : undefined;
      try {
        for (let rep = 0; rep < o.reps; rep++) {
          progress(`overhead: ${latencyMs} ms API latency, repetition ${rep + 1}/${o.reps}…`);
          const n = `${suffix}-${latencyMs}-${rep}`;
          // Alternating which goes first spreads load from other processes over both sides.
          let showrunner: Side;
          let scripted: Side;
          if (rep % 2 === 0) {
            showrunner = await showrunnerRun(stack, recorders, o, n);
            scripted = await scriptRun(script, recorders, o, encoderArn, n);
          } else {
            scripted = await scriptRun(script, recorders, o, encoderArn, n);
            showrunner = await showrunnerRun(stack, recorders, o, n);
          }
          reps.push({ latencyMs, rep, showrunner, script: scripted });
        }
      } finally {
        if (fault) await stack.control.removeFault(fault.id);
      }
    }
  } finally {
    script.ivs.destroy();
    await stack.stop();
  }
  return report(o, reps, { startedAt, machineBefore, command });
}

function report(
  o: OverheadOptions,
  reps: Rep[],
  run: { startedAt: Date; machineBefore: ScenarioReport['machineBefore']; command: string },
): ScenarioReport {
  const rows: SummaryRow[] = [];
  const phaseRows: string[][] = [];
  const perRepRows: string[][] = [];
  for (const latencyMs of o.latenciesMs) {
    const mine = reps.filter((r) => r.latencyMs === latencyMs);
    const m = (pick: (r: Rep) => number) => median(mine.map(pick));
    const judged = latencyMs === TARGET_LATENCY_MS;
    const startRatio = m((r) => r.showrunner.start.seen) / m((r) => r.script.start.seen);
    const endRatio = m((r) => r.showrunner.end.seen) / m((r) => r.script.end.seen);
    for (const [phase, ratio] of [
      ['start', startRatio],
      ['end', endRatio],
    ] as const) {
      const sr = m((r) => r.showrunner[phase].seen);
      const sc = m((r) => r.script[phase].seen);
      // The spread: each repetition's own ratio (show and script run back to back, so they share the load).
      const perRep = mine.map((r) => r.showrunner[phase].seen / r.script[phase].seen).sort((a, b) => a - b);
      const range = (xs: number[]) => `${seconds(Math.min(...xs))}–${seconds(Math.max(...xs))}`;
      rows.push({
        figure: `${phase === 'start' ? 'start → ACTIVE' : 'end → tidied up'}, ${latencyMs} ms latency: Showrunner / script`,
        value:
          `${seconds(sr)} s / ${seconds(sc)} s = ${ratio.toFixed(2)}× (median of ${mine.length}; per repetition ` +
          `${perRep[0]!.toFixed(2)}–${perRep[perRep.length - 1]!.toFixed(2)}×, Showrunner ` +
          `${range(mine.map((r) => r.showrunner[phase].seen))} s, script ${range(mine.map((r) => r.script[phase].seen))} s)`,
        target: judged ? `≤ ${TARGET_RATIO}×` : '',
        verdict: judged ? (ratio <= TARGET_RATIO ? 'met' : 'missed') : '',
        note: judged && ratio > TARGET_RATIO ? missReason(phase, mine) : undefined,
      });
    }
    for (const side of ['showrunner', 'script'] as const) {
      const name = side === 'showrunner' ? 'Showrunner' : 'script';
      phaseRows.push([
        `${latencyMs} ms`,
        name,
        seconds(m((r) => r[side].start.startComposition)),
        seconds(m((r) => r[side].start.active)),
        seconds(m((r) => r[side].start.seen)),
        seconds(m((r) => r[side].start.seen - r[side].start.active)),
        String(m((r) => r[side].start.calls)),
        seconds(m((r) => r[side].end.stopComposition)),
        seconds(m((r) => r[side].end.stopped)),
        seconds(m((r) => r[side].end.deleteStage)),
        seconds(m((r) => r[side].end.seen)),
        String(m((r) => r[side].end.calls)),
      ]);
    }
    for (const r of mine) {
      perRepRows.push([
        `${latencyMs} ms`,
        String(r.rep + 1),
        seconds(r.showrunner.start.prepared!),
        seconds(r.showrunner.start.publisherJoined!),
        seconds(lastClosed(r.showrunner, 'go', 'awaitPublisher')),
        seconds(r.showrunner.start.startComposition),
        seconds(r.showrunner.start.seen),
        seconds(r.script.start.seen),
        seconds(r.showrunner.end.stopped),
        seconds(lastClosed(r.showrunner, 'end', 'awaitCompositionStopped')),
        seconds(r.showrunner.end.deleteStage),
        seconds(lastClosed(r.showrunner, 'end', 'workflow completed')),
        seconds(r.showrunner.end.seen),
        seconds(r.script.end.seen),
      ]);
    }
  }
  const judgedReps = reps.filter((r) => r.latencyMs === TARGET_LATENCY_MS);
  const medianRep = [...judgedReps].sort((a, b) => a.showrunner.start.seen - b.showrunner.start.seen)[
    Math.floor(judgedReps.length / 2)
  ];
  const timelineSection = medianRep?.showrunner.timeline
    ? [
        '',
        `Where the show's time goes: its steps from its history, in repetition ${medianRep.rep + 1} at ` +
          `${TARGET_LATENCY_MS} ms (the median start), seconds from go or from end. Steps with the same task letter ` +
          'went out in one workflow task (side by side); `signal ←` is a signal the show received, `signal →` one it ' +
          'sent; an activity closes when its last attempt ends (polls fail until they see what they wait for, then retry: ' +
          'the attempt column counts them). After "workflow completed" the figure still waits for the bench\'s next status ' +
          'query, which a closed workflow answers by replaying its history on the worker.',
        '',
        markdownTable(
          ['from', 'step', 'task', 'scheduled', 'last attempt started', 'attempt', 'closed'],
          timelineRows(medianRep.showrunner.timeline),
        ),
      ]
    : [];
  const details = [
    'Local stack (`startPrivateLocalStack`: Temporal dev server, versitygw, the emulator with its documented rate limits ' +
      'and 2 s composition start / 1 s stop, the worker, the events endpoint subscribed to the emulator). Each ' +
      'repetition runs one show and one plain script, alternating which goes first, after an unmeasured warm-up ' +
      `of each; ${o.reps} repetitions per latency, medians. Latency is the emulator fault ` +
      "`{ operation: '*', mode: 'latency', latencyMs }` on every IVS call (the events endpoint's lookups included).",
    '',
    `- **Showrunner**: a show with ingest, one participant and a channel destination; default policies except ` +
      `\`pollInterval\` ${o.pollMs / 1000} s. Measured with **status queries every ${o.statusPollMs} ms**: start = ` +
      '`client.workflow.start` called → first status whose composition is ACTIVE; end = `end` update sent → first ' +
      'status past TIDYING (COMPLETED). The default policy waits for a publisher: the bench joins and publishes as ' +
      'soon as a status says WAITING_FOR_PUBLISHER, and that wait is inside the figure.',
    `- **Script**: CreateStage, CreateParticipantToken, CreateIngestConfiguration, StartComposition, GetComposition ` +
      `every ${o.pollMs / 1000} s until ACTIVE; then StopComposition, GetComposition every ${o.pollMs / 1000} s until ` +
      'STOPPED, DeleteIngestConfiguration, DeleteStage; timed by itself, its calls counted by its own client. It ' +
      'signs as the same account and is handed the shared encoder configuration the warm-up show made (a show ' +
      "finds it with one ListEncoderConfigurations). A show's IVS calls are every call of the account in its " +
      "phase: the show's, its monitor's and the events endpoint's lookups.",
    "- **The emulator's view** (same clock, in-process): when it answered StartComposition / StopComposition / " +
      'DeleteStage and when it made the composition ACTIVE / STOPPED (its Session Start / Session End events); ' +
      '"noticed after" is how long after the real ACTIVE the orchestrator knew. Note the script polls in step with ' +
      'its own StartComposition and the emulated start takes exactly 2 of its 1 s intervals, so it notices ACTIVE ' +
      'almost at once: a best case that a real, variable start time would not give it.',
    '',
    'Medians, seconds from go (start columns) and from end (end columns):',
    '',
    markdownTable(
      [
        'latency',
        'side',
        'StartComposition',
        'ACTIVE (emulator)',
        'ACTIVE known',
        'noticed after',
        'IVS calls',
        'StopComposition',
        'STOPPED (emulator)',
        'DeleteStage',
        'tidied up',
        'IVS calls',
      ],
      phaseRows,
    ),
    '',
    'Showrunner per repetition, against the script (seconds from go / from end; "publisher seen" and "STOPPED known" ' +
      'are when the show\'s poll closed, "workflow completed" from its history):',
    '',
    markdownTable(
      [
        'latency',
        'rep',
        'WAITING_FOR_PUBLISHER',
        'publisher joined',
        'publisher seen',
        'StartComposition',
        'ACTIVE known',
        'script ACTIVE known',
        'STOPPED (emulator)',
        'STOPPED known',
        'DeleteStage',
        'workflow completed',
        'tidied up',
        'script tidied up',
      ],
      perRepRows,
    ),
    ...timelineSection,
  ];
  return {
    id: 'overhead',
    title: 'Overhead: Showrunner vs a plain script',
    command: run.command,
    startedAt: run.startedAt.toISOString(),
    durationSeconds: Math.round((Date.now() - run.startedAt.getTime()) / 1000),
    machineBefore: run.machineBefore,
    machineAfter: machineSnapshot(),
    rows,
    details,
  };
}

/** When the show's last such step closed (or happened), from its phase's start; NaN when it has none. */
function lastClosed(side: Side, phase: 'go' | 'end', what: string): number {
  const step = side.timeline?.filter((t) => t.phase === phase && t.what === what).at(-1);
  return step ? (step.closedAt ?? step.at) : NaN;
}

/** One row per step; workflow tasks lettered in order of appearance. */
function timelineRows(steps: NonNullable<Side['timeline']>): string[][] {
  const letters = new Map<number, string>();
  const letter = (task: number | undefined) => {
    if (task === undefined) return '';
    if (!letters.has(task))
      letters.set(task, String.fromCharCode(65 + (letters.size % 26)) + (letters.size >= 26 ? '′' : ''));
    return letters.get(task)!;
  };
  const s = (ms: number | undefined) => (ms === undefined ? '' : seconds(ms));
  return steps.map((step) => [
    step.phase,
    step.what,
    letter(step.task),
    s(step.at),
    s(step.startedAt),
    step.attempt === undefined ? '' : String(step.attempt),
    s(step.closedAt),
  ]);
}

/** Where Showrunner lost the time, from the medians of the emulator's view. */
function missReason(phase: 'start' | 'end', reps: Rep[]): string {
  const m = (pick: (r: Rep) => number) => seconds(median(reps.map(pick)));
  if (phase === 'start') {
    return (
      `Showrunner calls StartComposition ${m((r) => r.showrunner.start.startComposition)} s after go vs ` +
      `${m((r) => r.script.start.startComposition)} s: preparation (encoder configuration alongside the stage, then ` +
      'tokens alongside the ingest configuration, then the look for duplicates) until WAITING_FOR_PUBLISHER ' +
      `(${m((r) => r.showrunner.start.prepared!)} s), then the first-publisher wait (publisher joined at ` +
      `${m((r) => r.showrunner.start.publisherJoined!)} s; the timeline shows how long the re-poll an event asks ` +
      `for waits to start); and knows ACTIVE ${m((r) => r.showrunner.start.seen - r.showrunner.start.active)} s ` +
      `after the emulator vs ${m((r) => r.script.start.seen - r.script.start.active)} s (event → show → monitor ` +
      'poll, or the next 1 s poll).'
    );
  }
  return (
    `Showrunner deletes the stage ${m((r) => r.showrunner.end.deleteStage - r.showrunner.end.stopped)} s after the ` +
    `emulator stopped the composition vs ${m((r) => r.script.end.deleteStage - r.script.end.stopped)} s: tidy-up ` +
    'polls for STOPPED at 250 ms backing off to 2 s, woken early by the Session End event through the events ' +
    'endpoint (stopComposition in workflows/show/composition.ts; the ingest configuration is deleted meanwhile), ' +
    `then deletes the stage, then sweeps the run tag (${m((r) => r.showrunner.end.seen - r.showrunner.end.deleteStage)} s ` +
    'from DeleteStage to tidied up).'
  );
}
