import { notFound, validationError } from '../errors/api-error';
import type { RegionState } from '../state/region-state';

/** Resources are keyed by ARN within the caller's account and region; another account's ARN is simply not found. */
export function requireResource<T>(map: Map<string, T>, arn: string, kind: string): T {
  const found = map.get(arn);
  if (!found) throw notFound(`${kind} not found: ${arn}`);
  return found;
}

export const requireStage = (region: RegionState, arn: string) => requireResource(region.stages, arn, 'Stage');

/** Participant attributes are limited to 1 KB in total (keys and values, UTF-8). */
export function checkAttributesSize(attributes: Record<string, string> | undefined, field: string): void {
  if (!attributes) return;
  let bytes = 0;
  for (const [k, v] of Object.entries(attributes)) bytes += Buffer.byteLength(k) + Buffer.byteLength(v);
  if (bytes > 1024) {
    throw validationError(
      `Value at '${field}' failed to satisfy constraint: Attributes must total at most 1 KB (got ${bytes} bytes)`,
    );
  }
}

export function checkTags(tags: Record<string, string> | undefined, field = 'tags'): void {
  if (!tags) return;
  for (const key of Object.keys(tags)) {
    if (key.toLowerCase().startsWith('aws:')) {
      throw validationError(
        `Value '${key}' at '${field}' failed to satisfy constraint: Tag keys starting with 'aws:' are reserved for AWS use`,
      );
    }
  }
  if (Object.keys(tags).length > 50)
    throw validationError(`Value at '${field}' failed to satisfy constraint: A resource can have at most 50 tags`);
}

/**
 * ISO 8601 forms of recent timestamps. A resource's times are set once and formatted on every answer that shows it,
 * and Date#toISOString costs about a microsecond each, several per answer; a lookup costs a twentieth of that. The
 * text is a pure function of the number, so a cached entry is never stale. Bounded: cleared when full.
 */
const isoByEpochMs = new Map<number, string>();
const MAX_CACHED_TIMES = 4096;

/**
 * A timestamp member as the wire carries it: ISO 8601 ("returned as a string"). Built as a string rather than a Date
 * that JSON.stringify would convert, which costs a Date and a toJSON call per timestamp on every answer.
 */
export function wireTime(epochMs: number | undefined): string | undefined {
  if (epochMs === undefined) return undefined;
  let iso = isoByEpochMs.get(epochMs);
  if (iso === undefined) {
    iso = new Date(epochMs).toISOString();
    if (isoByEpochMs.size >= MAX_CACHED_TIMES) isoByEpochMs.clear();
    isoByEpochMs.set(epochMs, iso);
  }
  return iso;
}
