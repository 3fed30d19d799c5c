/** A key pair the emulator accepts, and the account it acts as. */
export interface EmulatorCredential {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
}

export const DEFAULT_ACCOUNT_ID = '123456789012';
export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_CREDENTIALS: EmulatorCredential[] = [
  { accessKeyId: 'test', secretAccessKey: 'test', accountId: DEFAULT_ACCOUNT_ID },
];

/**
 * Resolves an access key to its credential. Besides the configured pairs, an access key of twelve digits is
 * accepted with the secret `test` and acts as that account, so tests can emulate many accounts without
 * configuring each one.
 */
export function lookupCredential(
  credentials: EmulatorCredential[],
  accessKeyId: string,
): EmulatorCredential | undefined {
  const configured = credentials.find((c) => c.accessKeyId === accessKeyId);
  if (configured) return configured;
  if (/^[0-9]{12}$/.test(accessKeyId)) return { accessKeyId, secretAccessKey: 'test', accountId: accessKeyId };
  return undefined;
}
