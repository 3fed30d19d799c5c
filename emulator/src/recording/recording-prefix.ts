/**
 * Time formats IVS uses in recording prefixes and events JSON. IVS reports whole seconds, so milliseconds are dropped.
 */

/** RFC 3339 / ISO 8601 UTC without milliseconds, e.g. `2024-01-01T12:00:55Z`. */
export function isoSeconds(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The timestamp segment of a participant recording prefix: ':' is not safe in every S3 tool, IVS uses '-'. */
export function recordingTimestamp(epochMs: number): string {
  return isoSeconds(epochMs).replace(/:/g, '-');
}

/** `<stageId>/<sessionId>/<participantId>/<timestamp>`, the prefix IVS gives an individual participant recording. */
export function participantRecordingPrefix(
  stageId: string,
  sessionId: string,
  participantId: string,
  epochMs: number,
): string {
  return `${stageId}/${sessionId}/${participantId}/${recordingTimestamp(epochMs)}`;
}
