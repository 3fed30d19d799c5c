import { defineSignal } from '@temporalio/workflow';
import type { CompositionSnapshot } from '../activities/composition-activities';

export interface CompositionWatch {
  compositionArn: string;
  /** The show's account when the worker acts there through a role (see AwsScope). */
  account?: string;
  showWorkflowId: string;
  pollIntervalMs: number;
}

export const watchCompositionSignal = defineSignal<[CompositionWatch]>('watchComposition');
export const unwatchCompositionSignal = defineSignal<[{ compositionArn: string }]>('unwatchComposition');

/**
 * One monitor per account and region (per deployment, i.e. monitor task queue): its ListCompositions polls
 * serve every show there.
 */
export function compositionMonitorWorkflowId(taskQueue: string, accountId: string, region: string): string {
  return `composition-monitor-${taskQueue}-${accountId}-${region}`;
}

export interface CompositionMonitorInput {
  region: string;
  /** Set when the worker reaches this account through a role; its own credentials otherwise. */
  account?: string;
  watches?: (CompositionWatch & { known: CompositionSnapshot })[];
  /** Complete after this long with nothing to watch. */
  idleTimeoutMs?: number;
}

/** Poll now instead of at the next interval (an event said something changed). */
export const pollNowSignal = defineSignal('pollNow');
