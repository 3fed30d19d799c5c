import { log, metricMeter, setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { AccountRegion } from '../../contracts/aws-scope';
import { SHOW_PHASE } from '../../contracts/search-attributes';
import type { ShowDeadline, ShowPhase } from '../../contracts/show-status';
import type { PublisherHint } from '../../contracts/stage';
import type { ShowIdentity } from '../../contracts/tags';
import type { ShowSpec } from '../../show-spec/show-spec';
import { continueAsNewDue, endReached, isEnding, liveComposition, nextDeadline, type IncidentDraft } from './decisions';
import { currentDetailsMarkdown } from './details';
import { initialState, type CompositionRun, type ShowState } from './state';

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

/**
 * One running show: its spec, its state, and what every part of the workflow does to them — record an incident,
 * enter a phase, say what comes next. The parts (handlers, prepare, live loop, tidy-up, indexing) take a Show
 * rather than sharing a closure; the decisions they act on are plain functions (decisions.ts).
 */
export class Show {
  readonly spec: ShowSpec;
  readonly state: ShowState;
  readonly identity: ShowIdentity;
  /** Where the rate-limited polls and the composition monitors run. */
  readonly monitorTaskQueue: string;
  /** Set by IVS events: poll now rather than at the next interval. */
  publisherPollNow = false;
  compositionPollNow = false;
  /** Who the latest "Participant Published" event named: the publisher poll asks about them first. */
  publisherHint?: PublisherHint;
  /**
   * Shows started before issue 13 act on every IVS event; newer ones only on those that can matter now (see
   * eventWakesNow) and pass them to the monitor at most once per poll interval. Set once, at the start of the run.
   */
  quietEvents = false;
  /** Compositions being stopped: only their end wakes the wait for STOPPED. */
  readonly stopping = new Set<string>();
  /** When the show last asked the monitor to poll now. */
  lastPollNowAt?: number;

  // Workflow metrics are emitted once, not on replay; "shows by phase" is the rate of entries per phase.
  private readonly phaseCounter = metricMeter.createCounter(
    'showrunner_show_phase_entries',
    'shows',
    'Shows entering each phase',
  );
  private readonly incidentCounter = metricMeter.createCounter(
    'showrunner_show_incidents',
    'incidents',
    'Incidents by kind',
  );
  private readonly restartCounter = metricMeter.createCounter(
    'showrunner_composition_restarts',
    'restarts',
    'Compositions replaced',
  );

  constructor(readonly input: ShowWorkflowInput) {
    const info = workflowInfo();
    this.spec = input.spec;
    this.state = input.carried ?? initialState(input.spec, info.firstExecutionRunId, Date.now());
    this.identity = { showId: this.spec.id, workflowId: info.workflowId, runKey: this.state.runKey };
    this.monitorTaskQueue = input.options?.monitorTaskQueue ?? `${info.taskQueue}-monitor`;
  }

  /** Where every IVS and S3 call of this show goes: its region, and its account when not the worker's own. */
  scope(): AccountRegion {
    return { region: this.state.region, account: this.spec.account };
  }

  now(): number {
    return Date.now();
  }

  iso(): string {
    return new Date(this.now()).toISOString();
  }

  incident(draft: IncidentDraft): void {
    const { kind, detail, ...where } = draft;
    this.state.incidents.push({ at: this.iso(), kind, detail, ...where });
    log.info(`incident ${kind}: ${detail}`, { showId: this.spec.id });
    this.incidentCounter.add(1, { kind });
    if (kind === 'COMPOSITION_RESTARTED') this.restartCounter.add(1);
    this.refreshDetails();
  }

  /** Phase changes are what an operator filters on (ShowPhase) and reads first in the UI's details. */
  setPhase(phase: ShowPhase): void {
    if (this.state.phase !== phase) {
      this.state.phase = phase;
      upsertSearchAttributes([{ key: SHOW_PHASE, value: phase }]);
      this.phaseCounter.add(1, { phase });
    }
    this.refreshDetails();
  }

  refreshDetails(): void {
    setCurrentDetails(currentDetailsMarkdown(this.spec, this.state, this.nextDeadline()));
  }

  nextDeadline(): ShowDeadline | undefined {
    return nextDeadline(this.spec, this.state);
  }

  /** The composition on air, if any. */
  live(): CompositionRun | undefined {
    return liveComposition(this.state);
  }

  endReached(): boolean {
    return endReached(this.state, this.now());
  }

  ending(): boolean {
    return isEnding(this.state);
  }

  continueAsNewDue(): boolean {
    return continueAsNewDue(workflowInfo(), this.input.options?.continueAsNewAfterEvents);
  }
}
