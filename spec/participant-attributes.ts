import { z } from 'zod';

/** IVS allows a participant token 1 KB of attributes in total (keys and values, as UTF-8). */
export const ATTRIBUTES_MAX_BYTES = 1024;

// TextEncoder, not Buffer: the workflow sandbox validates update arguments with this same schema.
const utf8Bytes = (text: string) => new TextEncoder().encode(text).length;

/**
 * The one rule for participant attributes, shared by the spec (participants and ingest) and the issueToken update,
 * so a token issued later cannot carry what the spec would have refused.
 */
export const participantAttributesSchema = z
  .record(z.string().min(1).max(128), z.string())
  .refine(
    (a) => Object.entries(a).reduce((n, [k, v]) => n + utf8Bytes(k) + utf8Bytes(v), 0) <= ATTRIBUTES_MAX_BYTES,
    'attributes must total at most 1 KB (keys and values, UTF-8)',
  );
