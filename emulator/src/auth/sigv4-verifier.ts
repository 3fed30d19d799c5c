import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ApiError } from '../errors/api-error';
import { sha256Hex, sigV4Signature } from './sigv4-signature';
import {
  DEFAULT_ACCOUNT_ID,
  DEFAULT_REGION,
  lookupCredential,
  type EmulatorCredential,
  type TemporaryCredentialSource,
  type TemporarySession,
} from './credentials';

export interface CallerIdentity {
  accessKeyId: string;
  accountId: string;
  region: string;
  /** Present when the caller signed with temporary credentials from the emulator's STS. */
  session?: TemporarySession;
}

interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const AUTH_PATTERN =
  /^AWS4-HMAC-SHA256\s+Credential=([^/\s]+)\/(\d{8})\/([^/\s]+)\/([^/\s]+)\/aws4_request,\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})\s*$/;
const MAX_SKEW_MS = 15 * 60 * 1000;

const forbidden = (type: string, message: string) => new ApiError(type, 403, message);

function parseAuthorization(header: string | undefined): ParsedAuthorization | undefined {
  const m = header ? AUTH_PATTERN.exec(header) : null;
  if (!m) return undefined;
  return {
    accessKeyId: m[1]!,
    date: m[2]!,
    region: m[3]!,
    service: m[4]!,
    signedHeaders: m[5]!.split(';'),
    signature: m[6]!,
  };
}

/** The last X-Amz-Date parsed and its time: every request signed in the same second carries the same value. */
let lastAmzDate: { value: string; time: number | undefined } = { value: '', time: undefined };

/** X-Amz-Date (`YYYYMMDDTHHMMSSZ`) as epoch milliseconds, or undefined when it is not one. */
function parseAmzDate(value: string): number | undefined {
  if (value === lastAmzDate.value) return lastAmzDate.time;
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  const time = m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : undefined;
  lastAmzDate = { value, time };
  return time;
}

/**
 * Two hex strings compared in time that does not depend on where they differ, as timingSafeEqual does for bytes,
 * without decoding either: the Authorization pattern admits only 64 lower-case hex digits, which is what the signer
 * answers.
 */
function sameHex(given: string, expected: string): boolean {
  if (given.length !== expected.length) return false;
  let difference = 0;
  for (let i = 0; i < given.length; i++) difference |= given.charCodeAt(i) ^ expected.charCodeAt(i);
  return difference === 0;
}

function sameSecret(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Identifies the caller of an API request. With verification on, the request must carry a valid SigV4
 * signature by a known credential; the signature is recomputed (sigv4-signature.ts, held against Smithy's signer,
 * the one the AWS SDKs use) over exactly the headers the client signed. With verification off, the access key and region are still read
 * from the Authorization header so state stays separated per account and region.
 */
export interface VerifierOptions {
  credentials: EmulatorCredential[];
  /** Off: any request is let in (account and region still read from its Authorization header). */
  verify: boolean;
  signingName: string;
  temporary?: TemporaryCredentialSource;
  accountKeyShortcut: boolean;
  /**
   * The regions the service has endpoints in. A request scoped to another never reaches a real endpoint of the
   * service; here it is refused before it can create any per-region state, rate bucket or metric.
   */
  regions: ReadonlySet<string>;
}

export class SigV4Verifier {
  private readonly credentials: EmulatorCredential[];
  private readonly verify: boolean;
  private readonly signingName: string;
  private readonly temporary?: TemporaryCredentialSource;
  private readonly accountKeyShortcut: boolean;
  private readonly regions: ReadonlySet<string>;

  constructor(options: VerifierOptions) {
    ({
      credentials: this.credentials,
      verify: this.verify,
      signingName: this.signingName,
      temporary: this.temporary,
      accountKeyShortcut: this.accountKeyShortcut,
      regions: this.regions,
    } = options);
  }

  private lookup(accessKeyId: string) {
    return lookupCredential(this.credentials, accessKeyId, this.temporary, this.accountKeyShortcut);
  }

  private checkRegion(region: string): void {
    if (this.regions.has(region)) return;
    throw forbidden(
      'InvalidSignatureException',
      `Credential should be scoped to a valid region. '${region.slice(0, 32)}' has no endpoint of this service; it serves ${[...this.regions].join(', ')}.`,
    );
  }

  identify(req: IncomingMessage, body: Buffer): CallerIdentity {
    const auth = parseAuthorization(req.headers.authorization);
    if (!this.verify) {
      const credential = auth && this.lookup(auth.accessKeyId);
      const region = auth?.region ?? DEFAULT_REGION;
      this.checkRegion(region);
      return {
        accessKeyId: auth?.accessKeyId ?? 'anonymous',
        accountId: credential?.accountId ?? DEFAULT_ACCOUNT_ID,
        region,
        session: credential?.session,
      };
    }
    if (!req.headers.authorization)
      throw forbidden('MissingAuthenticationTokenException', 'Missing Authentication Token');
    if (!auth)
      throw forbidden(
        'IncompleteSignatureException',
        'Authorization header requires Credential, SignedHeaders and Signature for AWS4-HMAC-SHA256.',
      );
    const credential = this.lookup(auth.accessKeyId);
    if (!credential)
      throw forbidden('UnrecognizedClientException', 'The security token included in the request is invalid.');
    // A temporary key is only half a credential: without its session token it identifies nobody. Long-term keys
    // ignore a stray token (AWS refuses one), so a leftover AWS_SESSION_TOKEN does not break local runs.
    const session = credential.session;
    if (session) {
      if (!sameSecret(req.headers['x-amz-security-token'], session.sessionToken))
        throw forbidden('UnrecognizedClientException', 'The security token included in the request is invalid.');
      if (this.temporary && this.temporary.now() >= session.expiresAt)
        throw forbidden('ExpiredTokenException', 'The security token included in the request is expired');
    }
    if (auth.service !== this.signingName) {
      throw forbidden(
        'InvalidSignatureException',
        `Credential should be scoped to correct service: '${this.signingName}'.`,
      );
    }
    this.checkRegion(auth.region);
    const amzDate = req.headers['x-amz-date'];
    const signingTime = typeof amzDate === 'string' ? parseAmzDate(amzDate) : undefined;
    if (signingTime === undefined || !auth.signedHeaders.includes('host')) {
      throw forbidden(
        'IncompleteSignatureException',
        'The request must sign the host header and carry a valid X-Amz-Date header.',
      );
    }
    const now = Date.now();
    if (Math.abs(now - signingTime) > MAX_SKEW_MS) {
      throw forbidden(
        'InvalidSignatureException',
        `Signature expired: ${String(amzDate)} is now earlier or later than the allowed 15 minutes around ${new Date(now).toISOString()}.`,
      );
    }
    // The signer takes a declared x-amz-content-sha256 as the payload hash (the JS SDK sends one), so without
    // this check a body changed after signing would verify.
    const declaredHash = req.headers['x-amz-content-sha256'];
    const payloadHash = sha256Hex(body);
    if (declaredHash !== undefined && declaredHash !== payloadHash) {
      throw forbidden(
        'InvalidSignatureException',
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
      );
    }
    const rawUrl = req.url ?? '/';
    const queryStart = rawUrl.indexOf('?');
    const expected = sigV4Signature({
      method: req.method ?? 'GET',
      path: queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart),
      query: queryStart === -1 ? '' : rawUrl.slice(queryStart + 1),
      headers: req.headers,
      signedHeaders: auth.signedHeaders,
      payloadHash,
      amzDate: amzDate as string,
      region: auth.region,
      service: auth.service,
      secretAccessKey: credential.secretAccessKey,
    });
    if (!sameHex(auth.signature, expected)) {
      throw forbidden(
        'InvalidSignatureException',
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      );
    }
    return {
      accessKeyId: credential.accessKeyId,
      accountId: credential.accountId,
      region: auth.region,
      session: credential.session,
    };
  }
}
