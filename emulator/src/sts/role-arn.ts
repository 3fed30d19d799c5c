import { createHash } from 'node:crypto';

/** An IAM role as its ARN names it. */
export interface RoleRef {
  arn: string;
  accountId: string;
  /** The last path segment: assumed-role ARNs carry the name only, never the path. */
  name: string;
}

// IAM's own rules: a path is `/` or `/segments/` of printable ASCII, a role name 1–64 of [\w+=,.@-].
const ROLE_ARN = /^arn:aws:iam::([0-9]{12}):role\/(?:[\x21-\x2e\x30-\x7e]+\/)*([\w+=,.@-]{1,64})$/;

export function parseRoleArn(arn: string): RoleRef | undefined {
  const m = ROLE_ARN.exec(arn);
  return m ? { arn, accountId: m[1]!, name: m[2]! } : undefined;
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * IAM's unique IDs (`AROA…` for roles, `AIDA…` for users) are 4 letters and 17 characters. The emulator has no
 * IAM, so it derives them from what names the principal: the same role always has the same ID, as in AWS until
 * the role is deleted and created again.
 */
export function stableUniqueId(prefix: 'AROA' | 'AIDA', name: string): string {
  const digest = createHash('sha256').update(name).digest();
  let id = prefix;
  for (let i = 0; i < 17; i++) id += ID_ALPHABET[digest[i]! % ID_ALPHABET.length];
  return id;
}

export const assumedRoleArn = (role: RoleRef, sessionName: string): string =>
  `arn:aws:sts::${role.accountId}:assumed-role/${role.name}/${sessionName}`;
