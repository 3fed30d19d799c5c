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

export interface MonitorRegistrationActivities {
  /**
   * Workflows cannot signal-with-start, so this activity does it: it starts the account-and-region composition
   * monitor if needed and adds the show's composition to its watch list.
   */
  watchComposition(watch: CompositionWatch): Promise<{ monitorWorkflowId: string }>;
}
