import crypto, { createHash, createHmac } from 'node:crypto';

/**
 * The SigV4 signature of a received request, computed the way AWS documents it ("Create a signed AWS API request":
 * canonical request, string to sign, signing key, signature) for services other than S3, whose canonical URI is the
 * received path encoded once more. Verifying is the emulator's hottest path, and the SDKs' signer is built for the
 * other side: it clones the request and derives an HMAC cache key on every call. The signing key is cached here per
 * secret, day, region and service. test/emulator/sigv4-signature.test.ts holds this against Smithy's signer (the one
 * the AWS SDKs use) on generated requests, and the suites sign with the JS SDK, botocore (AWS CLI, boto3) and curl.
 */
export interface SignatureInput {
  method: string;
  /** The path as received, still percent-encoded (no query). */
  path: string;
  /** The raw query string, without `?`. */
  query: string;
  /** Lower-case header name → value(s) as received. */
  headers: Record<string, string | string[] | undefined>;
  /** The signed header names from the Authorization header. */
  signedHeaders: readonly string[];
  /** Hex SHA-256 of the payload (or the declared x-amz-content-sha256, checked by the caller). */
  payloadHash: string;
  /** X-Amz-Date, `YYYYMMDDTHHMMSSZ`. */
  amzDate: string;
  region: string;
  service: string;
  secretAccessKey: string;
}

/** RFC 3986 encoding, as SigV4 wants it: encodeURIComponent leaves !'()* alone. */
function uriEscape(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A path made of unreserved characters only, which its canonical form leaves alone (every POST /<Operation>). */
const PLAIN_PATH = /^(\/[A-Za-z0-9_~-]+)+$/;

/** Each segment of the received (already encoded) path encoded once more; `.` and `..` segments resolved. */
function canonicalPath(path: string): string {
  if (PLAIN_PATH.test(path)) return path;
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = path.endsWith('/') && segments.length > 0 ? '/' : '';
  return `/${segments.map(uriEscape).join('/')}${trailing}`;
}

function canonicalQuery(query: string): string {
  if (query === '') return '';
  const pairs: [string, string][] = [];
  for (const [key, value] of new URLSearchParams(query)) {
    if (key.toLowerCase() === 'x-amz-signature') continue;
    pairs.push([uriEscape(key), uriEscape(value)]);
  }
  pairs.sort(([ka, va], [kb, vb]) => (ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

const NEEDS_FOLDING = /[\r\n\t]| {2}|^ | $/;

/**
 * Hex SHA-256. `crypto.hash` (Node 20.12 and later) does it in one call at half the cost of a Hash object, which
 * counts twice per request on this path; older Node falls back.
 */
export const sha256Hex: (data: string | Buffer) => string =
  typeof crypto.hash === 'function'
    ? (data) => crypto.hash('sha256', data, 'hex')
    : (data) => createHash('sha256').update(data).digest('hex');

/**
 * An HMAC-SHA256 key prepared for hashOf: HMAC(K, m) = H((K ^ opad) || H((K ^ ipad) || m)) (RFC 2104), with the padded
 * key blocks written once into buffers the message and the inner digest are then written after. Two one-shot hashes
 * cost well under half of createHmac, which builds a key object and an Hmac object on every call; the last HMAC of
 * every signature is computed this way.
 */
interface PreparedKey {
  key: Buffer;
  /** K ^ ipad, then room for the message. */
  inner: Buffer;
  /** K ^ opad, then the inner digest. */
  outer: Buffer;
}

const BLOCK = 64;

function prepareKey(key: Buffer): PreparedKey {
  // Signing keys are HMAC-SHA256 digests (32 bytes), shorter than a block: padded with zeros, never hashed first.
  const inner = Buffer.alloc(BLOCK + 512);
  const outer = Buffer.alloc(BLOCK + 32);
  for (let i = 0; i < BLOCK; i++) {
    const k = i < key.length ? key[i]! : 0;
    inner[i] = k ^ 0x36;
    outer[i] = k ^ 0x5c;
  }
  return { key, inner, outer };
}

/** Hex HMAC-SHA256 of `message` (UTF-8) under a prepared key. */
const hmacHex: (prepared: PreparedKey, message: string) => string =
  typeof crypto.hash === 'function'
    ? (prepared, message) => {
        // UTF-8 takes at most three bytes per UTF-16 unit: count the bytes only when the message might not fit.
        const room = prepared.inner.length - BLOCK;
        if (message.length * 3 > room && Buffer.byteLength(message) > room) {
          const grown = Buffer.alloc(BLOCK + Buffer.byteLength(message));
          prepared.inner.copy(grown, 0, 0, BLOCK);
          prepared.inner = grown;
        }
        const length = prepared.inner.write(message, BLOCK, 'utf8');
        // Hex output: crypto.hash answers a hex string far faster than a Buffer.
        prepared.outer.write(crypto.hash('sha256', prepared.inner.subarray(0, BLOCK + length), 'hex'), BLOCK, 'hex');
        return crypto.hash('sha256', prepared.outer, 'hex');
      }
    : (prepared, message) => createHmac('sha256', prepared.key).update(message).digest('hex');

/** Signing keys by secret, then by credential scope (`date/region/service/aws4_request`); bounded. */
const signingKeys = new Map<string, Map<string, PreparedKey>>();
let signingKeyCount = 0;

/**
 * kSigning = HMAC chain of the secret over date, region, service and "aws4_request"; cached, bounded. Keyed by the
 * scope string the string to sign carries anyway, so a cache hit builds no key string of its own.
 */
function signingKey(secret: string, scope: string, date: string, region: string, service: string): PreparedKey {
  let bySecret = signingKeys.get(secret);
  let key = bySecret?.get(scope);
  if (!key) {
    const hmac = (k: string | Buffer, data: string) => createHmac('sha256', k).update(data).digest();
    key = prepareKey(hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request'));
    if (signingKeyCount >= 1000) {
      signingKeys.clear();
      signingKeyCount = 0;
      bySecret = undefined;
    }
    if (!bySecret) signingKeys.set(secret, (bySecret = new Map<string, PreparedKey>()));
    bySecret.set(scope, key);
    signingKeyCount++;
  }
  return key;
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The hex signature the request should carry. Built with plain string appends: this runs on every request, and each
 * intermediate array is garbage to collect.
 */
export function sigV4Signature(input: SignatureInput): string {
  // Signed headers the request does not carry are left out, as the SDKs' signer does. Clients send them sorted
  // (SigV4 requires it), so the sort is usually a no-op on a copy.
  const names: string[] = [];
  for (const name of input.signedHeaders) if (input.headers[name] !== undefined) names.push(name);
  names.sort(byName);
  let canonicalRequest = `${input.method}\n${canonicalPath(input.path)}\n${canonicalQuery(input.query)}\n`;
  let signed = '';
  for (const name of names) {
    const raw = input.headers[name]!;
    const value = Array.isArray(raw) ? raw.join(',') : raw;
    // Line breaks to spaces, runs of blanks to one, one blank trimmed at each end; most values need none of it.
    const canonical = NEEDS_FOLDING.test(value)
      ? value
          .replace(/[\r\n]/g, ' ')
          .replace(/[ \t]+/g, ' ')
          .replace(/^ | $/g, '')
      : value;
    canonicalRequest += `${name}:${canonical}\n`;
    signed = signed === '' ? name : `${signed};${name}`;
  }
  canonicalRequest += `\n${signed}\n${input.payloadHash}`;
  const date = input.amzDate.slice(0, 8);
  const scope = `${date}/${input.region}/${input.service}/aws4_request`;
  const stringToSign = `AWS4-HMAC-SHA256\n${input.amzDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
  return hmacHex(signingKey(input.secretAccessKey, scope, date, input.region, input.service), stringToSign);
}
