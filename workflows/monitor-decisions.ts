import type { CompositionSnapshot } from '../contracts/composition';

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
 * What to stop watching once every changed show was signalled (`results[i]` is the signal to `changed[i]`): a show
 * the signal could not reach is gone (completed or terminated), so nobody needs its composition watched; a purged
 * composition has nothing left to watch. Everything else stays watched.
 */
export function watchesToDrop(
  changed: readonly ChangedWatch[],
  results: readonly PromiseSettledResult<unknown>[],
): WatchDrop[] {
  const drops: WatchDrop[] = [];
  changed.forEach(({ compositionArn, showWorkflowId, snapshot }, i) => {
    const result = results[i];
    if (result?.status === 'rejected') {
      const error = (result.reason as Error | undefined)?.message ?? String(result.reason);
      drops.push({ compositionArn, showWorkflowId, reason: 'show-gone', error });
    } else if (snapshot.state === 'GONE') {
      drops.push({ compositionArn, showWorkflowId, reason: 'purged' });
    }
  });
  return drops;
}
