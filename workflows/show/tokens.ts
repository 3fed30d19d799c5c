import { CAPABILITIES, TOKEN_MINUTES } from '../../contracts/participants';
import type { IssueTokenArgs } from '../../contracts/show-messages';
import type { TokenRequest } from '../../contracts/stage';
import type { ParticipantSpec, ShowSpec } from '../../show-spec/show-spec';

/**
 * How a participant's token is asked for, in one place for the show's first issue and the issueToken update, so a
 * re-issued token carries exactly what the first one did.
 */

/** What a caller of issueToken may choose; attributes only for someone the spec does not name. */
export type TokenOverrides = Omit<IssueTokenArgs, 'userId'>;

const MINUTE = 60_000;

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
    capabilities: [...(overrides.capabilities ?? participant?.capabilities ?? CAPABILITIES)],
    durationMinutes:
      overrides.durationMinutes ??
      (participant ? Math.round(participant.tokenDuration / MINUTE) : TOKEN_MINUTES.default),
  };
}

/** The tokens a show issues when it prepares its stage: one per participant of the spec. */
export const preparedTokenRequests = (spec: ShowSpec): TokenRequest[] =>
  spec.participants.map((p) => participantTokenRequest(p.userId, p));

/** The spec's participant of that user ID, if any. */
export const participantOf = (spec: ShowSpec, userId: string) => spec.participants.find((p) => p.userId === userId);

/** A token asked for during the show (issueToken), for a spec participant or someone else. */
export const requestedToken = (spec: ShowSpec, { userId, ...overrides }: IssueTokenArgs): TokenRequest =>
  participantTokenRequest(userId, participantOf(spec, userId), overrides);

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
