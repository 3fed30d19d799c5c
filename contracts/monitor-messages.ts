import { defineSignal } from '@temporalio/workflow';
import type { AccountRegion } from './aws-scope';
import type { CompositionSnapshot } from './composition';

/** A show's request to have its composition watched, and where to say it changed. */
export interface CompositionWatch {
  compositionArn: string;
  /** The show's account when the worker acts there through a role (see AwsScope). */
  account?: string;
  showWorkflowId: string;
  pollIntervalMs: number;
}

export const watchCompositionSignal = defineSignal<[CompositionWatch]>('watchComposition');
export const unwatchCompositionSignal = defineSignal<[{ compositionArn: string }]>('unwatchComposition');
/** Poll now instead of at the next interval (an event said something changed). */
export const pollNowSignal = defineSignal('pollNow');

/** One account and region: `account` is set when the worker reaches it through a role. */
export interface CompositionMonitorInput extends AccountRegion {
  watches?: (CompositionWatch & { known: CompositionSnapshot })[];
  /** Complete after this long with nothing to watch. */
  idleTimeoutMs?: number;
}

/** A show to tell that its composition changed, and what the monitor's poll found. */
export interface ShowToSignal {
  showWorkflowId: string;
  snapshot: CompositionSnapshot;
}

/** Whether a compositionChanged signal reached its show: one that no longer runs is not reached. */
export type SignalOutcome = { reached: true } | { reached: false; error: string };

export interface MonitorRegistrationActivities {
  /**
   * Workflows cannot signal-with-start, so this activity does it: it starts the account-and-region composition
   * monitor if needed and adds the show's composition to its watch list.
   */
  watchComposition(watch: CompositionWatch): Promise<{ monitorWorkflowId: string }>;
  /**
   * The monitor's local activity: signals compositionChanged to every show of a poll's changes, in parallel, and
   * says which shows were reached (`outcomes[i]` is `shows[i]`'s). Repeating it re-sends the same snapshots, which a
   * show takes as they are (workflows/show/decisions.ts receiveSnapshot), so a retry is safe.
   */
  signalChangedShows(shows: ShowToSignal[]): Promise<SignalOutcome[]>;
}
