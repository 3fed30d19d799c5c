import { randomBytes } from 'node:crypto';
import type { ResolvedCredential, TemporaryCredentialSource, TemporarySession } from '../auth/credentials';
import type { Clock } from '../clock';
import { randomId } from '../state/ids';
import { assumedRoleArn, stableUniqueId, type RoleRef } from './role-arn';

export interface IssuedCredential extends ResolvedCredential {
  session: TemporarySession;
}

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Beyond this many, expired credentials are dropped when the next one is issued; until then they answer "expired". */
const RETAINED = 10_000;

/**
 * The temporary credentials AssumeRole issued, by access key. They live until a reset: AWS keeps recognising an
 * expired token (it says "expired", not "invalid"), so the emulator does too, within a bound.
 */
export class SessionCredentialStore implements TemporaryCredentialSource {
  private readonly issued = new Map<string, IssuedCredential>();

  constructor(private readonly clock: Clock) {}

  now(): number {
    return this.clock.now();
  }

  issue(role: RoleRef, sessionName: string, durationSeconds: number): IssuedCredential {
    if (this.issued.size >= RETAINED) this.dropExpired();
    // Whole seconds: the wire format's Expiration has no fraction, and it must be the instant the emulator enforces.
    const expiresAt = Math.floor(this.clock.now() / 1000) * 1000 + durationSeconds * 1000;
    let accessKeyId: string;
    do accessKeyId = `ASIA${randomId(16, KEY_ALPHABET)}`;
    while (this.issued.has(accessKeyId));
    const credential: IssuedCredential = {
      accessKeyId,
      secretAccessKey: randomId(40, SECRET_ALPHABET),
      accountId: role.accountId,
      session: {
        sessionToken: randomBytes(96).toString('base64'),
        expiresAt,
        roleArn: role.arn,
        assumedRoleArn: assumedRoleArn(role, sessionName),
        assumedRoleId: `${stableUniqueId('AROA', role.arn)}:${sessionName}`,
      },
    };
    this.issued.set(accessKeyId, credential);
    return credential;
  }

  find(accessKeyId: string): IssuedCredential | undefined {
    return this.issued.get(accessKeyId);
  }

  reset(): void {
    this.issued.clear();
  }

  private dropExpired(): void {
    const now = this.clock.now();
    for (const [key, credential] of this.issued) if (credential.session.expiresAt <= now) this.issued.delete(key);
  }
}
