import { AUDIENCE, type AudienceSigner } from '../../contracts/audience';
import type { ShowSpec } from '../../show-spec/show-spec';
import { isEnding } from './decisions';
import type { ShowState } from './state';

/**
 * The answer to the token service's `audienceSigner` query: the key and limits to sign viewer tokens with, only
 * while the show has an audience and a stage and is not winding down. From ENDING on it answers nothing, so no
 * token is minted for a stage about to be deleted; the key's deletion at tidy-up revokes the ones already out.
 */
export function audienceSigner(spec: ShowSpec, state: ShowState): AudienceSigner | undefined {
  const audience = spec.audience;
  if (!audience?.enabled || !state.audience || !state.stageArn || isEnding(state)) return undefined;
  return {
    showId: spec.id,
    stageArn: state.stageArn,
    publicKeyArn: state.audience.publicKeyArn,
    privateKey: state.audience.privateKey,
    endsAt: new Date(state.endAt).toISOString(),
    maxTokenTtlMs: audience.maxTokenTtl ?? AUDIENCE.ttlMs.default,
    attributes: { ...audience.attributes },
    rateLimit: { ...audience.rateLimit },
  };
}
