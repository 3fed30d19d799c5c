import { patched } from '@temporalio/workflow';
import { isTerminal } from '../../contracts/composition';
import { rootMessage } from '../../contracts/errors';
import type { ResourceRef } from '../../contracts/show-status';
import { tidyWithSummary } from '../activity-proxies';
import { signalMonitor, stopComposition, stopUntilStopped } from './composition';
import type { Show } from './show';
import { retrySafeResources, sweepLeftovers } from './sweep';

/** Shows started before issue 15 tidy up one step after another (see tidyUp). */
const TIDY_UP_IN_PARALLEL = 'tidy-up-in-parallel';

/**
 * Stops and deletes everything the show made, in order — compositions, then the ingest configuration, then the
 * stage — unless its policy keeps it (since issue 15, steps that do not depend on each other run at once). A step that fails is recorded as an incident and does not stop the rest;
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

  const ingestArn = state.ingestConfigurationArn;
  const removeIngest = async () => {
    if (ingestArn)
      await removeUnlessKept({ kind: 'ingest-configuration', arn: ingestArn }, keep.ingestConfiguration, () =>
        tidyWithSummary('Delete the ingest configuration').deleteIngestConfiguration({
          ...show.scope(),
          arn: ingestArn,
        }),
      );
  };
  const stageArn = state.stageArn;
  const removeStage = async () => {
    if (stageArn)
      await removeUnlessKept({ kind: 'stage', arn: stageArn }, keep.stage, () =>
        tidyWithSummary('Delete the stage').deleteStage({ ...show.scope(), stageArn }),
      );
  };
  const audienceKey = state.audience;
  const removeAudienceKey = async () => {
    if (audienceKey)
      // Deleting the key revokes every viewer token it signed (IVS no longer accepts their signature).
      await removeUnlessKept({ kind: 'public-key', arn: audienceKey.publicKeyArn }, keep.publicKey, () =>
        tidyWithSummary('Delete the audience public key').deleteAudienceKey({
          ...show.scope(),
          arn: audienceKey.publicKeyArn,
        }),
      );
  };

  if (!patched(TIDY_UP_IN_PARALLEL)) {
    for (const run of state.compositions) {
      if (isTerminal(run.state)) await signalMonitor(show, run.arn, 'unwatch');
      else await step(`stop composition ${run.arn}`, () => stopComposition(show, run, tidyWithSummary));
    }
    await removeIngest();
    await removeStage();
    await removeAudienceKey();
  } else {
    // Only the order IVS documents is kept. StopComposition "stops and deletes a Composition resource. Any
    // broadcast from the Composition resource is stopped", so once every stop has been answered nothing the
    // ingest publisher sends goes on air, and the ingest configuration is deleted while the compositions wind
    // down to STOPPED (DeleteIngestConfiguration: with force "the participant is disconnected from the stage,
    // followed by deletion of the IngestConfiguration"). The
    // stage goes only after every composition on it is STOPPED and its ingest configuration is gone; what IVS
    // does to a composition whose stage is deleted under it is not documented. The monitors are told to stop
    // watching alongside the stage's deletion: nothing else waits on them. The audience key (DeletePublicKey
    // "invalidates future participant tokens generated using the key pair's private key") depends on nothing.
    const unwatches: Promise<void>[] = [];
    const stopsAnswered: Promise<void>[] = [];
    const stopped: Promise<void>[] = [];
    for (const run of state.compositions) {
      if (isTerminal(run.state)) {
        unwatches.push(signalMonitor(show, run.arn, 'unwatch'));
        continue;
      }
      let answered!: () => void;
      stopsAnswered.push(new Promise<void>((resolve) => (answered = resolve)));
      stopped.push(
        step(`stop composition ${run.arn}`, async () => {
          try {
            await stopUntilStopped(show, run, tidyWithSummary, answered);
          } finally {
            answered();
          }
          unwatches.push(signalMonitor(show, run.arn, 'unwatch'));
        }),
      );
    }
    await Promise.all([
      ...stopped,
      (async () => {
        await Promise.all(stopsAnswered);
        await removeIngest();
      })(),
    ]);
    await Promise.all([removeStage(), removeAudienceKey(), ...unwatches]);
  }
  if (retrySafeResources()) await sweepLeftovers(show);
  state.timings.tidiedAt = show.iso();
}
