import {
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  ContinueAsNew,
  continueAsNew,
  getExternalWorkflowHandle,
  isCancellation,
  log,
  metricMeter,
  patched,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { locationOf } from '../contracts/arn';
import type { AccountRegion } from '../contracts/aws-scope';
import { isTerminal, type CompositionSnapshot } from '../contracts/composition';
import { rootMessage } from '../contracts/errors';
import { COMPOSITION_RESTART_LIMIT, SHOW_FAILED, STAGE_DELETED, STAGE_NOT_FOUND } from '../contracts/failure-types';
import { compositionMonitorWorkflowId, compositionToken } from '../contracts/ids';
import { pollNowSignal, unwatchCompositionSignal } from '../contracts/monitor-messages';
import { CAPABILITIES, TOKEN_MINUTES } from '../contracts/participants';
import { SHOW_PHASE, STAGE_ARN } from '../contracts/search-attributes';
import {
  compositionChangedSignal,
  endArgsSchema,
  endUpdate,
  extendArgsSchema,
  extendUpdate,
  issueTokenArgsSchema,
  issueTokenUpdate,
  ivsEventSignal,
  participantTokensQuery,
  restartArgsSchema,
  restartCompositionUpdate,
  statusQuery,
  validateArgs,
} from '../contracts/show-messages';
import {
  ENDING_PHASES,
  type IncidentKind,
  type ShowOutcome,
  type ShowPhase,
  type ShowResult,
} from '../contracts/show-status';
import type { ShowIdentity } from '../contracts/tags';
import { ENCODER_PRESETS } from '../spec/encoder-presets';
import type { ShowSpec, StorageRef } from '../spec/show-spec';
import { indexing, ivs, ivsWithSummary, polls, tidy, tidyWithSummary } from './activity-proxies';
import { runInterruptible } from './interruptible';
import { currentDetailsMarkdown } from './show-details';
import { destinationsOf, layoutOf, participantRecordingOf, restartDelayMs } from './show-plan';
import { buildResult, buildStatus, initialState } from './show-reports';
import type { CompositionRun, ShowState } from './show-state';

export interface ShowWorkflowInput {
  spec: ShowSpec;
  /** State carried over by continue-as-new. */
  carried?: ShowState;
  options?: {
    /** Task queue of the rate-limited poll activities and composition monitors; `<task queue>-monitor` by default. */
    monitorTaskQueue?: string;
    /** Test hook: continue as new once history reaches this many events. */
    continueAsNewAfterEvents?: number;
  };
}

/** Shows started before this change poll for STOPPED without being woken by events (see stopComposition). */
const TIDY_WAKES_ON_EVENTS = 'tidy-wakes-on-events';

/**
 * A show's whole life as one durable workflow: wait for the slot, prepare the stage, keep a composition on air
 * until the planned end (recovering from destination failures and idle stops), tidy up everything it made,
 * then index the recordings.
 */
export async function showWorkflow(input: ShowWorkflowInput): Promise<ShowResult> {
  const { spec } = input;
  const info = workflowInfo();
  const state: ShowState = input.carried ?? initialState(spec, info.firstExecutionRunId, Date.now());
  const identity: ShowIdentity = { showId: spec.id, workflowId: info.workflowId, runKey: state.runKey };
  /** Where every IVS and S3 call of this show goes: its region, and its account when not the worker's own. */
  const scope = (): AccountRegion => ({ region: state.region, account: spec.account });
  const monitorTaskQueue = input.options?.monitorTaskQueue ?? `${info.taskQueue}-monitor`;
  const now = () => Date.now();
  const iso = () => new Date(now()).toISOString();
  // Workflow metrics are emitted once, not on replay; "shows by phase" is the rate of entries per phase.
  const phaseCounter = metricMeter.createCounter('showrunner_show_phase_entries', 'shows', 'Shows entering each phase');
  const incidentCounter = metricMeter.createCounter('showrunner_show_incidents', 'incidents', 'Incidents by kind');
  const restartCounter = metricMeter.createCounter(
    'showrunner_composition_restarts',
    'restarts',
    'Compositions replaced',
  );
  const incident = (
    kind: IncidentKind,
    detail: string,
    extra: { compositionArn?: string; destinationId?: string } = {},
  ) => {
    state.incidents.push({ at: iso(), kind, detail, ...extra });
    log.info(`incident ${kind}: ${detail}`, { showId: spec.id });
    incidentCounter.add(1, { kind });
    if (kind === 'COMPOSITION_RESTARTED') restartCounter.add(1);
    refreshDetails();
  };
  /** Phase changes are what an operator filters on (ShowPhase) and reads first in the UI's details. */
  const setPhase = (phase: ShowPhase) => {
    if (state.phase !== phase) {
      state.phase = phase;
      upsertSearchAttributes([{ key: SHOW_PHASE, value: phase }]);
      phaseCounter.add(1, { phase });
    }
    refreshDetails();
  };
  const refreshDetails = () => setCurrentDetails(currentDetailsMarkdown(spec, state, nextDeadline()));
  /** Set by IVS events: poll now rather than at the next interval. */
  let publisherPollNow = false;
  let compositionPollNow = false;
  const current = (): CompositionRun | undefined => {
    const last = state.compositions[state.compositions.length - 1];
    return last && !isTerminal(last.state) ? last : undefined;
  };
  const endReached = () => !!state.endRequested || now() >= state.endAt;
  const ending = () => ENDING_PHASES.includes(state.phase);

  setHandler(statusQuery, () => buildStatus(spec, state, nextDeadline()));
  setHandler(participantTokensQuery, () => state.tokens);
  setHandler(compositionChangedSignal, (snapshot) => {
    if (snapshot.arn === current()?.arn) state.pendingSnapshot = snapshot;
    else {
      const run = state.compositions.find((c) => c.arn === snapshot.arn);
      if (run && !isTerminal(run.state)) run.state = snapshot.state;
    }
  });
  setHandler(ivsEventSignal, (event) => {
    if (event.detailType === 'IVS Stage Update' && event.eventName === 'Participant Published') publisherPollNow = true;
    if (event.detailType === 'IVS Composition State Change') compositionPollNow = true;
  });
  setHandler(
    endUpdate,
    (args) => {
      const { reason } = validateArgs(endArgsSchema, args);
      state.endRequested ??= { at: iso(), reason: reason ?? 'end requested' };
      return { endAt: state.endRequested.at };
    },
    {
      validator: (args) => {
        validateArgs(endArgsSchema, args);
        if (ending()) throw new Error(`The show is already ${state.phase}`);
      },
    },
  );
  setHandler(
    extendUpdate,
    (args) => {
      state.endAt = Date.parse(validateArgs(extendArgsSchema, args).endAt);
      return { endAt: new Date(state.endAt).toISOString() };
    },
    {
      validator: (args) => {
        const endAt = Date.parse(validateArgs(extendArgsSchema, args).endAt);
        if (ending() || state.endRequested) throw new Error(`The show is already ending (${state.phase})`);
        if (endAt <= now()) throw new Error('endAt: must be in the future');
        if (endAt - state.startAt > 24 * 60 * 60_000)
          throw new Error('endAt: a show lasts at most 24 hours from its start (the IVS composition limit)');
      },
    },
  );
  setHandler(
    issueTokenUpdate,
    async (args) => {
      const request = validateArgs(issueTokenArgsSchema, args);
      const known = spec.participants.find((p) => p.userId === request.userId);
      const token = await ivs.issueParticipantToken({
        ...scope(),
        stageArn: state.stageArn!,
        participant: {
          userId: request.userId,
          attributes: request.attributes ?? known?.attributes ?? {},
          capabilities: request.capabilities ?? known?.capabilities ?? [...CAPABILITIES],
          durationMinutes:
            request.durationMinutes ?? Math.round((known?.tokenDuration ?? TOKEN_MINUTES.default * 60_000) / 60_000),
        },
      });
      state.tokens.push(token);
      return token;
    },
    {
      validator: (args) => {
        validateArgs(issueTokenArgsSchema, args);
        if (!state.stageArn || ending()) throw new Error(`No stage to join: the show is ${state.phase}`);
      },
    },
  );
  setHandler(
    restartCompositionUpdate,
    async (args) => {
      state.restartRequested = validateArgs(restartArgsSchema, args).reason ?? 'restart requested';
      await condition(() => state.restartRequested === undefined || ending());
      return { restarts: state.restarts };
    },
    {
      validator: (args) => {
        validateArgs(restartArgsSchema, args);
        if (!spec.composition?.enabled) throw new Error('This show has no composition');
        if (!current() || ending()) throw new Error(`No composition to restart: the show is ${state.phase}`);
      },
    },
  );

  function nextDeadline(): { what: string; at: string } | undefined {
    const at = (what: string, ms: number) => ({ what, at: new Date(ms).toISOString() });
    if (state.phase === 'SCHEDULED') return at('prepare', state.startAt - spec.schedule.leadTime);
    const reconnecting = Object.values(state.reconnectingSince);
    if (reconnecting.length > 0)
      return at('reconnect tolerance ends', Math.min(...reconnecting) + spec.policies.reconnectingTolerance);
    if (!ending()) return at('planned end', state.endAt);
    return undefined;
  }

  async function ensureStorage(ref: StorageRef): Promise<{ arn: string; bucket: string }> {
    const ensured = await ivsWithSummary('Find or create the shared storage configuration').ensureStorageConfiguration({
      ...scope(),
      ...ref,
    });
    if (ensured.created) state.made.push({ kind: 'storage-configuration', arn: ensured.arn, shared: true });
    return { arn: ensured.arn, bucket: ensured.bucket };
  }

  async function prepare(): Promise<void> {
    setPhase('PREPARING');
    const recording = spec.individualRecording?.enabled ? spec.individualRecording : undefined;
    if (recording) state.participantStorage = await ensureStorage(recording.storage);
    const composition = spec.composition?.enabled ? spec.composition : undefined;
    if (composition) {
      if ('arn' in composition.encoder) state.encoderConfigurationArn = composition.encoder.arn;
      else {
        const preset = composition.encoder.preset;
        const ensured = await ivsWithSummary(
          `Find or create the ${preset} encoder configuration`,
        ).ensureEncoderConfiguration({
          ...scope(),
          preset,
          video: { ...ENCODER_PRESETS[preset] },
        });
        if (ensured.created) state.made.push({ kind: 'encoder-configuration', arn: ensured.arn, shared: true });
        state.encoderConfigurationArn = ensured.arn;
      }
      if (composition.recording) state.compositeStorage = await ensureStorage(composition.recording);
    }
    const stage = await ivsWithSummary('Create the stage (or find the one this show made)').ensureStage({
      ...scope(),
      identity,
      name: `show-${spec.id}`,
      tags: spec.tags,
      recording:
        recording && state.participantStorage
          ? participantRecordingOf(recording, state.participantStorage.arn)
          : undefined,
    });
    state.stageArn = stage.stageArn;
    state.stageId = stage.stageId;
    upsertSearchAttributes([{ key: STAGE_ARN, value: stage.stageArn }]);
    state.made.push({ kind: 'stage', arn: stage.stageArn });
    state.tokens = await ivsWithSummary(`Issue ${spec.participants.length} participant tokens`).issueParticipantTokens({
      ...scope(),
      stageArn: stage.stageArn,
      participants: spec.participants.map((p) => ({
        userId: p.userId,
        attributes: { ...p.attributes, role: p.role },
        capabilities: p.capabilities,
        durationMinutes: Math.round(p.tokenDuration / 60_000),
      })),
    });
    if (spec.ingest?.enabled) {
      const ingest = await ivsWithSummary('Create the ingest configuration').ensureIngestConfiguration({
        ...scope(),
        identity,
        stageArn: stage.stageArn,
        name: `show-${spec.id}-ingest`,
        protocol: spec.ingest.protocol,
        insecureIngest: spec.ingest.protocol === 'RTMP',
        userId: spec.ingest.userId,
        attributes: spec.ingest.attributes,
        tags: spec.tags,
      });
      state.ingestConfigurationArn = ingest.ingestConfigurationArn;
      state.ingestParticipantId = ingest.participantId;
      state.made.push({ kind: 'ingest-configuration', arn: ingest.ingestConfigurationArn });
    }
    state.timings.preparedAt = iso();
  }

  async function waitForPublisher(): Promise<'seen' | 'ended' | 'timeout'> {
    setPhase('WAITING_FOR_PUBLISHER');
    const deadline = now() + Math.min(spec.policies.publisherWaitTimeout, Math.max(0, state.endAt - now()));
    try {
      for (;;) {
        publisherPollNow = false;
        const { awaitPublisher } = polls({
          taskQueue: monitorTaskQueue,
          intervalMs: spec.policies.pollInterval,
          timeoutMs: Math.max(1_000, deadline - now()),
          summary: 'Wait for the first publisher',
        });
        const outcome = await runInterruptible(
          () => awaitPublisher({ ...scope(), stageArn: state.stageArn! }),
          () => endReached() || publisherPollNow,
        );
        if (outcome.done) break;
        if (endReached()) return 'ended';
        // An event said someone published: poll again right away instead of at the next interval.
      }
      state.timings.firstPublisherAt ??= iso();
      return 'seen';
    } catch (e) {
      if (isCancellation(e)) throw e;
      const type = (e as { cause?: { type?: string } }).cause?.type;
      if (type === STAGE_NOT_FOUND) {
        incident('STAGE_DELETED', `stage ${state.stageArn} was deleted outside the show`);
        throw ApplicationFailure.nonRetryable(`Stage ${state.stageArn} was deleted outside the show`, STAGE_DELETED);
      }
      if (endReached()) return 'ended';
      return 'timeout';
    }
  }

  async function startComposition(): Promise<void> {
    const composition = spec.composition!;
    setPhase('STARTING_COMPOSITION');
    const token = compositionToken(state.runKey, state.compositions.length + 1);
    let started;
    try {
      started = await ivsWithSummary(`Start composition ${state.compositions.length + 1}`).startComposition({
        ...scope(),
        identity,
        stageArn: state.stageArn!,
        idempotencyToken: token,
        layout: layoutOf(composition),
        destinations: destinationsOf(composition, {
          encoder: state.encoderConfigurationArn!,
          storage: state.compositeStorage?.arn,
        }),
        tags: spec.tags,
      });
    } catch (e) {
      if (!isCancellation(e)) incident('START_FAILED', rootMessage(e));
      throw e;
    }
    state.compositions.push({
      arn: started.arn,
      idempotencyToken: token,
      startedAt: iso(),
      state: started.state,
      destinations: started.destinations,
      recordingBucket: state.compositeStorage?.bucket,
      stopRequested: false,
    });
    state.made.push({ kind: 'composition', arn: started.arn });
    await ivsWithSummary('Register the composition with the monitor').watchComposition({
      compositionArn: started.arn,
      account: spec.account,
      showWorkflowId: info.workflowId,
      pollIntervalMs: spec.policies.pollInterval,
    });
  }

  async function stopComposition(run: CompositionRun, proxies = ivs): Promise<void> {
    run.stopRequested = true;
    const stopped = await proxies.stopComposition({ ...scope(), arn: run.arn });
    let finalState = stopped.state;
    if (!isTerminal(finalState)) {
      // A stop takes seconds: poll soon, then back off, so tidy-up neither waits long nor spends the account's
      // GetComposition rate (the monitor queue's rate limit caps these polls fleet-wide).
      const { awaitCompositionStopped } = polls({
        taskQueue: monitorTaskQueue,
        intervalMs: 250,
        maxIntervalMs: 2_000,
        timeoutMs: 15 * 60_000,
      });
      const poll = () => awaitCompositionStopped({ ...scope(), arn: run.arn });
      if (!patched(TIDY_WAKES_ON_EVENTS)) finalState = (await poll()).state;
      else
        for (;;) {
          compositionPollNow = false;
          // An IVS event (the composition's Session End) says it changed: look now, not after the backoff.
          const outcome = await runInterruptible(poll, () => compositionPollNow);
          if (outcome.done) {
            finalState = outcome.value.state;
            break;
          }
        }
    }
    run.state = finalState;
    run.endedAt ??= iso();
    state.removed.push({ kind: 'composition', arn: run.arn });
    for (const d of run.destinations) delete state.reconnectingSince[d.id];
    await unwatch(run.arn);
  }

  async function unwatch(compositionArn: string): Promise<void> {
    await signalMonitor(compositionArn, 'unwatch');
  }

  async function signalMonitor(compositionArn: string, what: 'unwatch' | 'pollNow'): Promise<void> {
    const { region, account } = locationOf(compositionArn);
    const monitor = getExternalWorkflowHandle(compositionMonitorWorkflowId(monitorTaskQueue, account, region));
    try {
      if (what === 'unwatch') await monitor.signal(unwatchCompositionSignal, { compositionArn });
      else await monitor.signal(pollNowSignal);
    } catch {
      // A monitor that is not running watches nothing.
    }
  }

  /** Applies the monitor's latest snapshot; says whether the composition must be replaced. */
  function applySnapshot(run: CompositionRun, snapshot: CompositionSnapshot): 'ok' | 'replace' | 'stopped' {
    run.state = snapshot.state;
    for (const observed of snapshot.destinations) {
      const destination = run.destinations.find((d) => d.id === observed.id);
      if (!destination || destination.state === observed.state) continue;
      destination.state = observed.state;
      const where = { compositionArn: run.arn, destinationId: observed.id };
      if (observed.state === 'RECONNECTING') {
        state.reconnectingSince[observed.id] ??= now();
        incident('DESTINATION_RECONNECTING', `${destination.kind} destination is reconnecting`, where);
      } else if (observed.state === 'ACTIVE' && state.reconnectingSince[observed.id] !== undefined) {
        delete state.reconnectingSince[observed.id];
        incident('DESTINATION_RECOVERED', `${destination.kind} destination is active again`, where);
      } else if (observed.state === 'FAILED') {
        incident('DESTINATION_FAILED', `${destination.kind} destination failed`, where);
      }
    }
    if (snapshot.state === 'ACTIVE') state.timings.compositionActiveAt ??= iso();
    if (snapshot.state === 'FAILED') {
      incident('COMPOSITION_FAILED', 'composition failed', { compositionArn: run.arn });
      return 'replace';
    }
    if (snapshot.state === 'STOPPED' || snapshot.state === 'GONE') {
      run.endedAt ??= iso();
      incident(
        'COMPOSITION_STOPPED',
        `composition ${snapshot.state === 'GONE' ? 'disappeared' : 'stopped'} while the show is on (idle stage or deleted stage)`,
        { compositionArn: run.arn },
      );
      return 'stopped';
    }
    if (run.destinations.some((d) => d.state === 'FAILED')) return 'replace';
    return 'ok';
  }

  async function replaceComposition(run: CompositionRun, reason: string, manual: boolean): Promise<void> {
    // Operator-requested restarts do not use up the automatic ones.
    if (!manual && (state.automaticRestarts ?? 0) >= spec.policies.maxCompositionRestarts) {
      incident('RESTART_LIMIT_REACHED', `${state.restarts} restarts already; giving up: ${reason}`, {
        compositionArn: run.arn,
      });
      throw ApplicationFailure.nonRetryable(
        `Composition restart limit (${spec.policies.maxCompositionRestarts}) reached: ${reason}`,
        COMPOSITION_RESTART_LIMIT,
      );
    }
    setPhase('RECOVERING');
    await stopComposition(run);
    state.restarts++;
    if (!manual) state.automaticRestarts = (state.automaticRestarts ?? 0) + 1;
    incident('COMPOSITION_RESTARTED', `restart ${state.restarts}: ${reason}`, { compositionArn: run.arn });
    const delay = restartDelayMs(spec.policies.restartBackoff, state.restarts);
    if (delay > 0) await condition(endReached, delay);
  }

  function continueAsNewDue(): boolean {
    const current = workflowInfo();
    const every = input.options?.continueAsNewAfterEvents;
    return current.continueAsNewSuggested || (every !== undefined && current.historyLength >= every);
  }

  async function runLive(): Promise<ShowOutcome> {
    let needPublisher = spec.policies.startComposition === 'on-first-publisher' && state.compositions.length === 0;
    for (;;) {
      if (endReached()) return 'COMPLETED';
      if (continueAsNewDue()) {
        await condition(allHandlersFinished);
        await continueAsNew<typeof showWorkflow>({
          ...input,
          carried: { ...state, continuedAsNew: state.continuedAsNew + 1 },
        });
      }
      if (!spec.composition?.enabled) {
        setPhase('LIVE');
        await condition(() => endReached() || continueAsNewDue(), Math.max(1, state.endAt - now()));
        continue;
      }
      const run = current();
      if (!run) {
        if (needPublisher) {
          const seen = await waitForPublisher();
          if (seen === 'ended') return 'COMPLETED';
          if (seen === 'timeout') {
            incident(
              'NO_PUBLISHER',
              `nobody published within ${Math.round(spec.policies.publisherWaitTimeout / 1000)} s`,
            );
            return state.compositions.length === 0 ? 'NO_PUBLISHER' : 'COMPLETED';
          }
          needPublisher = false;
        }
        await startComposition();
        continue;
      }
      setPhase(
        run.state === 'STARTING'
          ? 'STARTING_COMPOSITION'
          : Object.keys(state.reconnectingSince).length > 0
            ? 'RECOVERING'
            : 'LIVE',
      );
      const reconnectDeadline =
        Object.keys(state.reconnectingSince).length > 0
          ? Math.min(...Object.values(state.reconnectingSince)) + spec.policies.reconnectingTolerance
          : Infinity;
      const wakeAt = Math.min(state.endAt, reconnectDeadline);
      await condition(
        () =>
          endReached() ||
          !!state.pendingSnapshot ||
          state.restartRequested !== undefined ||
          compositionPollNow ||
          now() >= reconnectDeadline ||
          continueAsNewDue(),
        Math.max(1, wakeAt - now()),
      );
      if (compositionPollNow) {
        compositionPollNow = false;
        await signalMonitor(run.arn, 'pollNow');
      }
      if (state.restartRequested !== undefined) {
        incident('RESTART_REQUESTED', state.restartRequested, { compositionArn: run.arn });
        await replaceComposition(run, state.restartRequested, true);
        state.restartRequested = undefined;
        continue;
      }
      if (state.pendingSnapshot) {
        const snapshot = state.pendingSnapshot;
        state.pendingSnapshot = undefined;
        // A snapshot that arrived while a restart was stopping the previous composition describes that one.
        if (snapshot.arn !== run.arn) continue;
        const verdict = applySnapshot(run, snapshot);
        if (verdict === 'replace') await replaceComposition(run, 'composition or destination failed', false);
        if (verdict === 'stopped') {
          await unwatch(run.arn);
          needPublisher = true;
        }
        continue;
      }
      if (now() >= reconnectDeadline) {
        incident(
          'RECONNECTING_TOO_LONG',
          `a destination was RECONNECTING for more than ${Math.round(spec.policies.reconnectingTolerance / 1000)} s`,
          { compositionArn: run.arn },
        );
        await replaceComposition(run, 'destination reconnecting beyond tolerance', false);
      }
    }
  }

  /** Stops and deletes everything the show made, in order; failures are recorded and do not stop the rest. */
  async function tidyUp(): Promise<void> {
    setPhase('TIDYING');
    const step = async (what: string, fn: () => Promise<void>) => {
      try {
        await fn();
      } catch (e) {
        incident('TIDY_UP_FAILED', `${what}: ${rootMessage(e)}`);
      }
    };
    for (const run of state.compositions) {
      if (isTerminal(run.state)) await unwatch(run.arn);
      else await step(`stop composition ${run.arn}`, () => stopComposition(run, tidy));
    }
    if (state.ingestConfigurationArn) {
      const ref = { kind: 'ingest-configuration' as const, arn: state.ingestConfigurationArn };
      if (spec.policies.keep.ingestConfiguration) state.kept.push(ref);
      else
        await step('delete ingest configuration', async () => {
          await tidyWithSummary('Delete the ingest configuration').deleteIngestConfiguration({
            ...scope(),
            arn: ref.arn,
          });
          state.removed.push(ref);
        });
    }
    if (state.stageArn) {
      const ref = { kind: 'stage' as const, arn: state.stageArn };
      if (spec.policies.keep.stage) state.kept.push(ref);
      else
        await step('delete stage', async () => {
          await tidyWithSummary('Delete the stage').deleteStage({ ...scope(), stageArn: ref.arn });
          state.removed.push(ref);
        });
    }
    state.timings.tidiedAt = iso();
  }

  async function indexRecordings(): Promise<ShowResult['recordingsIndex']> {
    const composites = state.compositions
      .flatMap((run) =>
        run.destinations
          .filter((d) => d.recordingPrefix)
          .map((d) => ({ compositionArn: run.arn, bucket: run.recordingBucket!, prefix: d.recordingPrefix! })),
      )
      .filter((c) => c.bucket);
    const bucket = state.participantStorage?.bucket ?? composites[0]?.bucket;
    if (!spec.policies.keep.recordingsIndex || !state.stageArn || !bucket) return undefined;
    setPhase('INDEXING');
    try {
      const summary = await indexing(spec.policies.recordingsSettleTimeout).indexRecordings({
        stageArn: state.stageArn,
        account: spec.account,
        participantRecordingBucket: state.participantStorage?.bucket,
        composites,
        indexLocation: { bucket, key: `${state.stageId}/showrunner-recordings-index.json` },
        settleTimeoutMs: spec.policies.recordingsSettleTimeout,
      });
      state.timings.indexedAt = iso();
      state.recordingsIndex = summary.location;
      const { location, ...figures } = summary;
      return { location, summary: figures };
    } catch (e) {
      if (isCancellation(e)) throw e;
      incident('INDEXING_FAILED', rootMessage(e));
      return undefined;
    }
  }

  let outcome: ShowOutcome = 'COMPLETED';
  let failure: unknown;
  try {
    if (!input.carried) {
      setPhase('SCHEDULED');
      const prepareAt = state.startAt - spec.schedule.leadTime;
      if (prepareAt > now()) await condition(() => !!state.endRequested, prepareAt - now());
      if (state.endRequested) outcome = 'ENDED_BEFORE_START';
      else await prepare();
    }
    if (outcome === 'COMPLETED') outcome = await runLive();
    setPhase('ENDING');
    state.timings.endedAt = iso();
  } catch (e) {
    if (e instanceof ContinueAsNew) throw e;
    failure = e;
    outcome = isCancellation(e) ? 'CANCELLED' : 'FAILED';
    state.timings.endedAt = iso();
  }
  // Tidy-up runs whatever happened, and a cancellation must not cancel it.
  await CancellationScope.nonCancellable(tidyUp);
  const recordingsIndex = outcome === 'CANCELLED' ? undefined : await CancellationScope.nonCancellable(indexRecordings);
  setPhase(outcome === 'CANCELLED' ? 'CANCELLED' : outcome === 'FAILED' ? 'FAILED' : 'COMPLETED');
  if (failure) throw failure instanceof Error ? failure : ApplicationFailure.nonRetryable('show failed', SHOW_FAILED);
  return buildResult(spec, state, outcome, recordingsIndex);
}
