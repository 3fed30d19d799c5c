import type { CallerIdentity } from '../auth/sigv4-verifier';
import type { AssumableRoles } from './assumable-roles';
import { parseAssumeRoleInput } from './assume-role-input';
import { callerPrincipal } from './caller-principal';
import type { SessionCredentialStore } from './session-credentials';
import { stsAccessDenied, stsValidationError } from './sts-errors';
import { xmlTimestamp, type XmlContent } from './sts-xml';

export interface StsContext {
  caller: CallerIdentity;
  sessions: SessionCredentialStore;
  assumableRoles: AssumableRoles;
}

export type StsAction = (ctx: StsContext, params: URLSearchParams) => XmlContent;

/** AWS caps a session assumed with another role's session at one hour, whatever the role allows. */
const ROLE_CHAINING_MAX_SECONDS = 3600;

const assumeRole: StsAction = ({ caller, sessions, assumableRoles }, params) => {
  const input = parseAssumeRoleInput(params);
  if (caller.session && input.durationSeconds > ROLE_CHAINING_MAX_SECONDS) {
    throw stsValidationError(
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
  }
  if (!assumableRoles.allows(input.role.arn)) {
    throw stsAccessDenied(
      `User: ${callerPrincipal(caller).arn} is not authorized to perform: sts:AssumeRole on resource: ${input.role.arn}`,
    );
  }
  const issued = sessions.issue(input.role, input.sessionName, input.durationSeconds);
  return {
    Credentials: {
      AccessKeyId: issued.accessKeyId,
      SecretAccessKey: issued.secretAccessKey,
      SessionToken: issued.session.sessionToken,
      Expiration: xmlTimestamp(issued.session.expiresAt),
    },
    AssumedRoleUser: { AssumedRoleId: issued.session.assumedRoleId, Arn: issued.session.assumedRoleArn },
  };
};

const getCallerIdentity: StsAction = ({ caller }) => {
  const principal = callerPrincipal(caller);
  return { UserId: principal.userId, Account: principal.accountId, Arn: principal.arn };
};

export const stsActions: ReadonlyMap<string, StsAction> = new Map([
  ['AssumeRole', assumeRole],
  ['GetCallerIdentity', getCallerIdentity],
]);
