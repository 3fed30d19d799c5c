/**
 * Removes token-shaped strings from text bound for logs and trace spans: error messages quote what they were given
 * (an SDK error can quote a request, a parser error a line of configuration), and a log line or span lives far
 * longer, and is read by far more people, than the secret's owner intended. Shapes, not values: it needs no list of
 * secrets and catches ones it was never told about.
 *
 * - JWTs (IVS participant tokens, OIDC access tokens): three base64url parts, the first starting `eyJ` (`{"`).
 * - IVS stream keys: `sk_<region>_<key>`.
 * - `Bearer <anything>` credentials.
 * - Private keys (the audience's signing key): PEM blocks of any `… PRIVATE KEY`, and a JWK's private parameter
 *   `"d"` (also JSON-escaped inside another string); in a plain object, the `d` of anything with a `kty`.
 * - AWS secret access keys: 40 characters of base64 with upper case, lower case and a digit or `/`/`+`, standing
 *   alone (hex digests, all one case, are left alone), and session tokens: base64 runs of 100+ characters.
 *
 * Workflow-safe (no Node built-ins), so the same rules can apply anywhere.
 */
const RULES: [RegExp, string | ((match: string) => string)][] = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g, '[redacted private key]'],
  [/(\\?"d\\?"\s*:\s*\\?")[A-Za-z0-9_-]{16,}/g, '$1[redacted private key]'],
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, '[redacted JWT]'],
  [/\bsk_[a-z]{2}(?:-[a-z]+)+-\d+_[A-Za-z0-9]+/g, '[redacted stream key]'],
  [/\bsk_[A-Za-z0-9_-]{12,}/g, '[redacted stream key]'],
  [/\b(Bearer)\s+[^\s"',;]+/gi, '$1 [redacted]'],
  [/(?<![A-Za-z0-9/+=])[A-Za-z0-9/+=]{100,}/g, '[redacted credential]'],
  [
    /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g,
    (m) => (/[A-Z]/.test(m) && /[a-z]/.test(m) && /[0-9/+]/.test(m) ? '[redacted secret key]' : m),
  ],
];

export function scrubSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of RULES)
    out = typeof replacement === 'string' ? out.replace(pattern, replacement) : out.replace(pattern, replacement);
  return out;
}

/** Scrubs every string in a plain value (log metadata, span attributes), leaving its shape alone. */
export function scrubValue<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return scrubSecrets(value) as T;
  if (depth > 5 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return (value as unknown[]).map((v) => scrubValue(v, depth + 1)) as T;
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const jwk = 'kty' in value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, jwk && k === 'd' ? '[redacted private key]' : scrubValue(v, depth + 1)]),
  ) as T;
}
