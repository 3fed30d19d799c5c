import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * The AES-256 key ring that protects payloads in Temporal history. The first key encrypts; every key decrypts, so a
 * new key can be put first while history written under the old one stays readable until it ages out.
 *
 * Errors here name the variable, the entry and the broken rule, never the key material: they end up in logs.
 */
export const ENCRYPTION_KEYS_VAR = 'SHOWRUNNER_ENCRYPTION_KEYS';
export const ENCRYPTION_KEY_FILE_VAR = 'SHOWRUNNER_ENCRYPTION_KEY_FILE';

export const KEY_BYTES = 32;
export const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
/** Text that could be a 32-byte key itself: base64 or base64url (padding optional) of 32 bytes, or 64 hex digits. */
const KEY_SHAPED = /^(?:[A-Za-z0-9+/_-]{43}=?|[0-9a-fA-F]{64})$/;

/**
 * Whether a key id may appear in a message. An id that fails the rule, or that could be key material (an entry
 * written the wrong way round, `base64key:keyId`, puts the key where the id belongs), is never echoed.
 */
export const isEchoableKeyId = (id: string): boolean => KEY_ID.test(id) && !KEY_SHAPED.test(id);
// Standard base64 (what `openssl rand -base64 32` prints); padding optional, nothing else tolerated.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

export interface KeyRing {
  /** Encrypts every new payload. */
  current: EncryptionKey;
  /** Every key that may still be needed to decrypt, the current one included. */
  byId: ReadonlyMap<string, Buffer>;
}

export class KeyRingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyRingError';
  }
}

/** One `keyId:base64key` entry; `where` says which entry it is without quoting it. */
const keyEntry = (where: string) =>
  z.string().transform((entry, ctx): EncryptionKey => {
    const colon = entry.indexOf(':');
    if (colon < 0) {
      ctx.addIssue({ code: 'custom', message: `${where} must be keyId:base64key` });
      return z.NEVER;
    }
    const id = entry.slice(0, colon).trim();
    const encoded = entry.slice(colon + 1).trim();
    // An invalid id is not echoed either: a swapped entry would put the key where the id belongs.
    if (KEY_SHAPED.test(id)) {
      ctx.addIssue({
        code: 'custom',
        message: `${where}: the key id looks like a key; entries are keyId:base64key, key id first`,
      });
      return z.NEVER;
    }
    if (!KEY_ID.test(id)) {
      ctx.addIssue({ code: 'custom', message: `${where}: key id must match [A-Za-z0-9._-]{1,64}` });
      return z.NEVER;
    }
    if (encoded === '' || !BASE64.test(encoded)) {
      ctx.addIssue({ code: 'custom', message: `${where} (key id "${id}"): key is not valid base64` });
      return z.NEVER;
    }
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== KEY_BYTES) {
      ctx.addIssue({
        code: 'custom',
        message: `${where} (key id "${id}"): key must be ${KEY_BYTES} bytes for AES-256, got ${key.length}`,
      });
      return z.NEVER;
    }
    return { id, key };
  });

/** All entries, checked together so one error message lists every broken entry and every duplicate. */
const keyList = z.array(z.string()).transform((entries, ctx) => {
  if (entries.length === 0) ctx.addIssue({ code: 'custom', message: 'no keys given' });
  const keys: EncryptionKey[] = [];
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    const parsed = keyEntry(`entry ${index + 1}`).safeParse(entry);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message });
      return;
    }
    if (seen.has(parsed.data.id))
      ctx.addIssue({ code: 'custom', message: `entry ${index + 1}: duplicate key id "${parsed.data.id}"` });
    seen.add(parsed.data.id);
    keys.push(parsed.data);
  });
  return keys;
});

function parseKeyList(entries: string[], variable: string, detail = ''): KeyRing {
  const result = keyList.safeParse(entries);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  - ${issue.message}`).join('\n');
    throw new KeyRingError(`${variable}${detail} is invalid:\n${problems}`);
  }
  const [current] = result.data;
  if (!current) throw new KeyRingError(`${variable}${detail} is invalid:\n  - no keys given`);
  return { current, byId: new Map(result.data.map(({ id, key }) => [id, key])) };
}

/** Lines of a key file: one entry per line, blank lines and `#` comments ignored (base64 never contains `#`). */
function keyFileEntries(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line !== '');
}

/**
 * Reads the key ring from `SHOWRUNNER_ENCRYPTION_KEYS` (`id:base64,id:base64`, current first) or from the file named
 * by `SHOWRUNNER_ENCRYPTION_KEY_FILE` (one `id:base64` per line, current first). Exactly one must be set, so a
 * forgotten variable can't silently win over the other.
 */
export function loadKeyRing(env: NodeJS.ProcessEnv = process.env): KeyRing {
  const inline = env[ENCRYPTION_KEYS_VAR]?.trim() || undefined;
  const file = env[ENCRYPTION_KEY_FILE_VAR]?.trim() || undefined;
  if (inline !== undefined && file !== undefined) {
    throw new KeyRingError(`Set only one of ${ENCRYPTION_KEYS_VAR} and ${ENCRYPTION_KEY_FILE_VAR}, not both`);
  }
  if (inline !== undefined) {
    const entries = inline.split(',').map((entry) => entry.trim());
    return parseKeyList(entries, ENCRYPTION_KEYS_VAR);
  }
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      const reason = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      throw new KeyRingError(`${ENCRYPTION_KEY_FILE_VAR}: cannot read ${file}: ${reason}`);
    }
    return parseKeyList(keyFileEntries(text), ENCRYPTION_KEY_FILE_VAR, ` (${file})`);
  }
  throw new KeyRingError(
    `No payload encryption keys: set ${ENCRYPTION_KEYS_VAR} (keyId:base64key,...) or ${ENCRYPTION_KEY_FILE_VAR} ` +
      `(a file with one keyId:base64key per line); the first key encrypts`,
  );
}

/** A fresh AES-256 key, base64-encoded, for `keyId:<this>`. */
export function generateKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

/**
 * The `SHOWRUNNER_ENCRYPTION_KEYS` value for a ring, current key first: what `loadKeyRing` reads back. It contains
 * the keys, so it is for writing into a secret store, never for logs (use `describeKeyRing` there).
 */
export function formatKeyRing(ring: KeyRing): string {
  const others = [...ring.byId].filter(([id]) => id !== ring.current.id);
  return [[ring.current.id, ring.current.key] as const, ...others]
    .map(([id, key]) => `${id}:${key.toString('base64')}`)
    .join(',');
}

/** Key ids only, safe to log: `current=b, also=a`. */
export function describeKeyRing(ring: KeyRing): string {
  const others = [...ring.byId.keys()].filter((id) => id !== ring.current.id);
  return `current=${ring.current.id}${others.length > 0 ? `, also=${others.join(',')}` : ''}`;
}
