import { isTerminal } from '../../contracts/composition';
import { rootMessage } from '../../contracts/errors';
import type { ResourceRef } from '../../contracts/show-status';
import { tidyWithSummary } from '../activity-proxies';
import { signalMonitor, stopComposition } from './composition';
import type { Show } from './show';
import { retrySafeResources, sweepLeftovers } from './sweep';

/**
 * Stops and deletes everything the show made, in order — compositions, then the ingest configuration, then the
 * stage — unless its policy keeps it. A step that fails is recorded as an incident and does not stop the rest;
 * shared configurations outlive the show. Last, the sweep removes whatever else IVS holds under the run tag.
 */
export async function tidyUp(show: Show): Promise<void> {
  const { spec, state } = show;
  const { keep } = spec.policies;
  show.setPhase('TIDYING');
  const step = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (e) {
      show.incident({ kind: 'TIDY_UP_FAILED', detail: `${what}: ${rootMessage(e)}` });
    }
  };
  const removeUnlessKept = async (ref: ResourceRef, kept: boolean, remove: () => Promise<unknown>) => {
    if (kept) state.kept.push(ref);
    else
      await step(`delete ${ref.kind.replace('-', ' ')}`, async () => {
        await remove();
        state.removed.push(ref);
      });
  };

  for (const run of state.compositions) {
    if (isTerminal(run.state)) await signalMonitor(show, run.arn, 'unwatch');
    else await step(`stop composition ${run.arn}`, () => stopComposition(show, run, tidyWithSummary));
  }
  const ingestArn = state.ingestConfigurationArn;
  if (ingestArn)
    await removeUnlessKept({ kind: 'ingest-configuration', arn: ingestArn }, keep.ingestConfiguration, () =>
      tidyWithSummary('Delete the ingest configuration').deleteIngestConfiguration({ ...show.scope(), arn: ingestArn }),
    );
  const stageArn = state.stageArn;
  if (stageArn)
    await removeUnlessKept({ kind: 'stage', arn: stageArn }, keep.stage, () =>
      tidyWithSummary('Delete the stage').deleteStage({ ...show.scope(), stageArn }),
    );
  const audienceKey = state.audience;
  if (audienceKey)
    // Deleting the key revokes every viewer token it signed (IVS no longer accepts their signature).
    await removeUnlessKept({ kind: 'public-key', arn: audienceKey.publicKeyArn }, keep.publicKey, () =>
      tidyWithSummary('Delete the audience public key').deleteAudienceKey({
        ...show.scope(),
        arn: audienceKey.publicKeyArn,
      }),
    );
  if (retrySafeResources()) await sweepLeftovers(show);
  state.timings.tidiedAt = show.iso();
}
