import type { Payload } from '@temporalio/common';
import { z } from 'zod';
import { fieldIssues } from '../contracts/issues';

/**
 * The codec server's wire format: `temporal.api.common.v1.Payloads` in proto3 JSON, where every bytes field (the data
 * and each metadata value) is base64. Proto3 JSON accepts standard and URL-safe base64, padded or not; anything else
 * is rejected here, because Buffer.from(..., 'base64') would silently skip the bad characters and hand the codec
 * garbage.
 */
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

const bytes = z
  .string({ message: 'must be a base64 string' })
  // A length of 4n+1 cannot come out of any base64 encoder.
  .refine((value) => BASE64.test(value) && value.replace(/=+$/, '').length % 4 !== 1, { message: 'must be base64' })
  .transform((value) => Buffer.from(value, 'base64'));

const payloadJson = z.object({
  metadata: z.record(z.string(), bytes).nullish(),
  data: bytes.nullish(),
});

export const payloadsJson = z.object({
  payloads: z.array(payloadJson, { message: 'must be an array of payloads' }),
});

export interface PayloadJson {
  metadata: Record<string, string>;
  data: string;
}

/** Metadata names are the request's own text: only names of this shape are echoed in an error. */
const METADATA_NAME = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Validates a parsed request body; issues carry paths like `payloads.0.metadata.encoding`, never values. A metadata
 * name outside [A-Za-z0-9._-]{1,64} is not echoed (it could carry a secret, or forge a log line).
 */
export function payloadsFromJson(body: unknown): { ok: true; payloads: Payload[] } | { ok: false; problems: string[] } {
  const result = payloadsJson.safeParse(body);
  if (!result.success) {
    const segment = (p: PropertyKey, i: number, path: readonly PropertyKey[]) =>
      path[i - 1] === 'metadata' && !METADATA_NAME.test(String(p)) ? '(a metadata name)' : String(p);
    return {
      ok: false,
      problems: fieldIssues(result.error.issues, 'body', (path) => path.map(segment).join('.')).map(
        (i) => `${i.path}: ${i.message}`,
      ),
    };
  }
  return {
    ok: true,
    payloads: result.data.payloads.map(({ metadata, data }) => ({
      metadata: metadata ?? {},
      data: data ?? new Uint8Array(),
    })),
  };
}

export function payloadToJson(payload: Payload): PayloadJson {
  return {
    metadata: Object.fromEntries(
      Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')]),
    ),
    data: Buffer.from(payload.data ?? []).toString('base64'),
  };
}
