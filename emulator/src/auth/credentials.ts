/** A key pair the emulator accepts, and the account it acts as. */
export interface EmulatorCredential {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
}

/** The session behind temporary credentials the emulator's STS issued. */
export interface TemporarySession {
  sessionToken: string;
  /** Emulated epoch milliseconds: expiry follows the emulator's clock, like every other duration. */
  expiresAt: number;
  roleArn: string;
  /** `arn:aws:sts::<account>:assumed-role/<role name>/<session name>` */
  assumedRoleArn: string;
  /** `<role ID>:<session name>` */
  assumedRoleId: string;
}

/** A credential as requests are checked against it; `session` only for temporary credentials. */
export interface ResolvedCredential extends EmulatorCredential {
  session?: TemporarySession;
}

/** Temporary credentials issued at run time, and the clock they expire by. */
export interface TemporaryCredentialSource {
  find(accessKeyId: string): ResolvedCredential | undefined;
  now(): number;
}

export const DEFAULT_ACCOUNT_ID = '123456789012';
export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_CREDENTIALS: EmulatorCredential[] = [
  { accessKeyId: 'test', secretAccessKey: 'test', accountId: DEFAULT_ACCOUNT_ID },
];

/**
 * Resolves an access key to its credential: the configured pairs, the temporary credentials STS issued, and with
 * `accountKeyShortcut` any access key of twelve digits with the secret `test`, acting as that account, so tests can
 * emulate many accounts without configuring each one. The shortcut is off when credentials are configured unless
 * asked for: it would otherwise let anyone past them.
 */
export function lookupCredential(
  credentials: EmulatorCredential[],
  accessKeyId: string,
  temporary: TemporaryCredentialSource | undefined,
  accountKeyShortcut: boolean,
): ResolvedCredential | undefined {
  const configured = credentials.find((c) => c.accessKeyId === accessKeyId);
  if (configured) return configured;
  const issued = temporary?.find(accessKeyId);
  if (issued) return issued;
  if (accountKeyShortcut && /^[0-9]{12}$/.test(accessKeyId))
    return { accessKeyId, secretAccessKey: 'test', accountId: accessKeyId };
  return undefined;
}
