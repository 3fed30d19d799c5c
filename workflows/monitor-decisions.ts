import type { CompositionSnapshot } from '../contracts/composition';
import type { SignalOutcome } from '../contracts/monitor-messages';

/** A watched composition the last poll found changed, and the show to tell. */
export interface ChangedWatch {
  compositionArn: string;
  showWorkflowId: string;
  snapshot: CompositionSnapshot;
}

/** Why the monitor stops watching a composition after signalling its show. */
export type WatchDrop =
  | { compositionArn: string; showWorkflowId: string; reason: 'show-gone'; error: string }
  | { compositionArn: string; showWorkflowId: string; reason: 'purged' };

/**
 * What to stop watching once every changed show was signalled (`outcomes[i]` is the signal to `changed[i]`): a show
 * the signal could not reach is gone (completed or terminated), so nobody needs its composition watched; a purged
 * composition has nothing left to watch. Everything else stays watched.
 */
export function watchesToDrop(changed: readonly ChangedWatch[], outcomes: readonly SignalOutcome[]): WatchDrop[] {
  const drops: WatchDrop[] = [];
  changed.forEach(({ compositionArn, showWorkflowId, snapshot }, i) => {
    const outcome = outcomes[i];
    if (outcome?.reached === false) {
      drops.push({ compositionArn, showWorkflowId, reason: 'show-gone', error: outcome.error });
    } else if (snapshot.state === 'GONE') {
      drops.push({ compositionArn, showWorkflowId, reason: 'purged' });
    }
  });
  return drops;
}

/** A signal-external command's result as the shows' signal outcome: a rejected signal could not reach its show. */
export const signalOutcomeOf = (result: PromiseSettledResult<unknown>): SignalOutcome =>
  result.status === 'fulfilled'
    ? { reached: true }
    : { reached: false, error: (result.reason as Error | undefined)?.message ?? String(result.reason) };
