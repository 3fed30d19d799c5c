import { isCancellation, patched } from '@temporalio/workflow';
import { rootMessage } from '../../contracts/errors';
import type { ShowResult } from '../../contracts/show-status';
import { figuresFromState } from '../../timeline/state-events';
import { indexing } from '../activity-proxies';
import { recordingsIndexInput } from './plan';
import type { Show } from './show';

const INDEX_SHOW_FIGURES = 'index-show-figures';

/**
 * Indexes what the show recorded (participant and composite recordings) into one JSON document in S3. A failure
 * is an incident, not a failed show: the recordings themselves are safe in S3.
 */
export async function indexRecordings(show: Show): Promise<ShowResult['recordingsIndex']> {
  const { spec, state } = show;
  const planned = recordingsIndexInput(spec, state);
  if (!planned) return undefined;
  // The show's report figures (time on air, availability per destination, outages and time to recover, recordings)
  // go into the index document too, so whoever reads the recordings reads how the show went. Shows recorded before
  // this replay with the input they sent.
  const input = patched(INDEX_SHOW_FIGURES) ? { ...planned, show: figuresFromState(state) } : planned;
  show.setPhase('INDEXING');
  try {
    const { location, ...figures } = await indexing(
      spec.policies.recordingsSettleTimeout,
      `Index the recordings into ${input.indexLocation.bucket}`,
    ).indexRecordings(input);
    state.timings.indexedAt = show.iso();
    return { location, summary: figures };
  } catch (e) {
    if (isCancellation(e)) throw e;
    show.incident({ kind: 'INDEXING_FAILED', detail: rootMessage(e) });
    return undefined;
  }
}
