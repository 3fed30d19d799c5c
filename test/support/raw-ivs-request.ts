import http from 'node:http';
import { HttpRequest } from '@smithy/protocol-http';
import { sigV4Signer } from '../../dev/aws/sigv4';

/**
 * Raw HTTP against the emulator's IVS API, for what the SDK would refuse to send or would hide (headers, status
 * codes, bodies). Uses node:http rather than fetch so the Host header the signature covers is the one sent.
 */
export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

export interface RawRequest {
  method?: string;
  /** Path and query exactly as sent, already percent-encoded. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export function rawRequest(endpoint: string, request: RawRequest): Promise<RawResponse> {
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: request.method ?? 'POST',
        path: request.path,
        headers: request.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(request.body);
  });
}

export interface SigningOptions {
  accessKeyId?: string;
  secretAccessKey?: string;
  region?: string;
  service?: string;
  signingDate?: Date;
}

/** Signs a restJson1 request with SigV4 the way the AWS SDKs do, then sends it raw. */
export async function signedRequest(
  endpoint: string,
  request: { method?: string; path: string; query?: Record<string, string | string[]>; body?: unknown },
  signing: SigningOptions = {},
): Promise<RawResponse> {
  const url = new URL(endpoint);
  const body = request.body === undefined ? '' : JSON.stringify(request.body);
  const headers: Record<string, string> = { host: url.host };
  if (body) headers['content-type'] = 'application/json';
  const unsigned = new HttpRequest({
    method: request.method ?? 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: request.path,
    query: request.query,
    headers,
    body,
  });
  const region = signing.region ?? 'us-east-1';
  const signer = sigV4Signer({
    credentials: { accessKeyId: signing.accessKeyId ?? 'test', secretAccessKey: signing.secretAccessKey ?? 'test' },
    region,
    service: signing.service ?? 'ivs',
    uriEscapePath: true,
  });
  const signed = await signer.sign(unsigned, { signingDate: signing.signingDate });
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(request.query ?? {}))
    for (const v of Array.isArray(value) ? value : [value]) query.append(key, v);
  const search = query.toString();
  return rawRequest(endpoint, {
    method: signed.method,
    path: search ? `${request.path}?${search}` : request.path,
    headers: signed.headers,
    body,
  });
}

/** The body of an AWS-shaped error response. */
export function errorBody(response: RawResponse): { exceptionMessage: string; message: string } {
  return JSON.parse(response.text) as { exceptionMessage: string; message: string };
}
