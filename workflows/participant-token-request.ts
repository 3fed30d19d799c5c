import type { TokenRequest } from '../contracts/stage';
import type { ParticipantSpec } from '../show-spec/show-spec';

/**
 * How a participant's token is asked for, in one place for the show's first issue and the issueToken update, so a
 * re-issued token carries exactly what the first one did. Workflow-safe: plain data, types only from the spec.
 */
export const DEFAULT_TOKEN_CAPABILITIES = ['PUBLISH', 'SUBSCRIBE'] as const;
export const DEFAULT_TOKEN_MINUTES = 720;

/** What a caller of issueToken may choose; attributes only for someone the spec does not name. */
export interface TokenOverrides {
  attributes?: Record<string, string>;
  capabilities?: ('PUBLISH' | 'SUBSCRIBE')[];
  durationMinutes?: number;
}

/**
 * A spec participant's token: the spec's attributes with its `role`, its capabilities and lifetime (a caller may
 * narrow the capabilities or change the lifetime). Someone the spec does not name gets the caller's attributes and
 * the defaults: both capabilities, 720 minutes.
 */
export function participantTokenRequest(
  userId: string,
  participant: Pick<ParticipantSpec, 'role' | 'attributes' | 'capabilities' | 'tokenDuration'> | undefined,
  overrides: TokenOverrides = {},
): TokenRequest {
  return {
    userId,
    attributes: participant ? { ...participant.attributes, role: participant.role } : { ...overrides.attributes },
    capabilities: [...(overrides.capabilities ?? participant?.capabilities ?? DEFAULT_TOKEN_CAPABILITIES)],
    durationMinutes:
      overrides.durationMinutes ??
      (participant ? Math.round(participant.tokenDuration / 60_000) : DEFAULT_TOKEN_MINUTES),
  };
}

/**
 * Why an issueToken request cannot be served as asked, for the update's validator: a spec participant's
 * attributes and role come from the spec, so overriding them would give one person two identities.
 */
export function tokenOverridesProblem(
  participant: Pick<ParticipantSpec, 'userId'> | undefined,
  overrides: TokenOverrides,
): string | undefined {
  if (participant && overrides.attributes !== undefined)
    return `attributes: ${participant.userId} is a participant of the spec, whose attributes and role its tokens keep; leave attributes out`;
  return undefined;
}
