import { patched } from '@temporalio/workflow';
import { tagsKeeping } from '../../contracts/tags';
import { ivsWithSummary } from '../activity-proxies';
import type { Show } from './show';
import { createUncut } from './sweep';

/**
 * Audience tokens (issue 16) add activities to preparation and tidy-up; only shows whose spec has an enabled
 * `audience` take that path, and the patch marks it so histories recorded before it replay as they ran.
 */
const AUDIENCE_TOKENS = 'audience-tokens';
export const audienceOn = (show: Show) => !!show.spec.audience?.enabled && patched(AUDIENCE_TOKENS);

/** The show's name for its imported public key (the activity appends the key's fingerprint). */
export const audienceKeyNameOf = (showId: string) => `show-${showId}-audience`;

/**
 * Generates the audience's key pair and imports its public key, tagged as the show's (kept when the policy says
 * so). Uncut by a cancellation and recorded before it takes effect, like every create (sweep.ts).
 */
export async function ensureAudienceKey(show: Show): Promise<void> {
  const { spec, state, identity } = show;
  await createUncut(
    () =>
      ivsWithSummary('Import the audience public key').importAudienceKey({
        ...show.scope(),
        identity,
        name: audienceKeyNameOf(spec.id),
        tags: tagsKeeping(spec.tags, spec.policies.keep.publicKey),
      }),
    (key) => {
      state.audience = key;
      state.made.push({ kind: 'public-key', arn: key.publicKeyArn });
    },
  );
}
