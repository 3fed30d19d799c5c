import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { validationError } from '../errors/api-error';

/**
 * Opaque pagination tokens. A token records where the previous page ended (by sequence number, so resources
 * created or deleted between pages neither repeat nor vanish) and is bound to the operation and filters of
 * the request that produced it: reusing it with other filters is a ValidationException, as with the service.
 */
const key = randomBytes(32);

interface TokenBody {
  /** Operation and filters digest. */
  f: string;
  /** Last sequence number returned. */
  a: number;
}

function digest(scope: string): string {
  return createHmac('sha256', key).update(scope).digest('base64url').slice(0, 16);
}

function sign(body: string): string {
  return createHmac('sha256', key).update(body).digest('base64url').slice(0, 22);
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

export function paginate<T extends { seq: number }>(
  all: Iterable<T>,
  options: {
    /** Tokens are only good for the account and region that issued them. */
    owner: { accountId: string; region: string };
    scope: string;
    nextToken?: string;
    maxResults?: number;
    defaultMaxResults?: number;
    descending?: boolean;
  },
): Page<T> {
  const scopeDigest = digest(`${options.owner.accountId}/${options.owner.region}|${options.scope}`);
  let after: number | undefined;
  if (options.nextToken) {
    after = decodeToken(options.nextToken, scopeDigest);
  }
  const limit = options.maxResults ?? options.defaultMaxResults ?? 50;
  const sorted = [...all].sort((x, y) => (options.descending ? y.seq - x.seq : x.seq - y.seq));
  const remaining =
    after === undefined ? sorted : sorted.filter((r) => (options.descending ? r.seq < after : r.seq > after));
  const items = remaining.slice(0, limit);
  const more = remaining.length > limit;
  return { items, nextToken: more ? encodeToken({ f: scopeDigest, a: items[items.length - 1]!.seq }) : undefined };
}

function encodeToken(body: TokenBody): string {
  return Buffer.from(JSON.stringify({ ...body, m: sign(`${body.f}.${body.a}`) })).toString('base64url');
}

function decodeToken(token: string, scopeDigest: string): number {
  const invalid = () =>
    validationError(
      `Value '${token.slice(0, 32)}' at 'nextToken' failed to satisfy constraint: Member must be a token returned by a previous call with the same parameters`,
    );
  let body: Partial<TokenBody & { m: string }>;
  try {
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<TokenBody & { m: string }>;
  } catch {
    throw invalid();
  }
  if (typeof body.f !== 'string' || typeof body.a !== 'number' || typeof body.m !== 'string') throw invalid();
  const mac = Buffer.from(body.m);
  const expected = Buffer.from(sign(`${body.f}.${body.a}`));
  if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) throw invalid();
  if (body.f !== scopeDigest) throw invalid();
  return body.a;
}
