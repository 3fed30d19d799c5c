import { isCancellation } from '@temporalio/workflow';
import { rootMessage } from '../../contracts/errors';
import type { ShowResult } from '../../contracts/show-status';
import { indexing } from '../activity-proxies';
import { recordingsIndexInput } from './plan';
import type { Show } from './show';

/**
 * Indexes what the show recorded (participant and composite recordings) into one JSON document in S3. A failure
 * is an incident, not a failed show: the recordings themselves are safe in S3.
 */
export async function indexRecordings(show: Show): Promise<ShowResult['recordingsIndex']> {
  const { spec, state } = show;
  const input = recordingsIndexInput(spec, state);
  if (!input) return undefined;
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
