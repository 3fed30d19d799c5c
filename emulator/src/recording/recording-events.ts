import { isoSeconds } from './recording-prefix';

/**
 * The `events/recording-*.json` documents. Field order follows what IVS writes so diffs against real recordings read
 * naturally; fields that do not apply are omitted rather than null, as IVS does.
 */

export type RecordingStatus =
  'RECORDING_STARTED' | 'RECORDING_ENDED' | 'RECORDING_START_FAILED' | 'RECORDING_ENDED_WITH_FAILURE';

/** Participant recordings name the session and participant; composite recordings only the stage. */
export interface RecordingIdentity {
  stage_arn: string;
  session_id?: string;
  participant_id?: string;
}

export interface HlsLayout {
  path: string;
  playlist: string;
  renditions: Record<string, string | number>[];
}

export interface ThumbnailLayout {
  path: string;
  renditions?: { path: string }[];
  resolutions?: { path: string; resolution_width: number; resolution_height: number }[];
}

/** The `media` object without `duration_ms`, which is only known at the end. */
export interface MediaLayout {
  hls?: HlsLayout;
  thumbnails?: ThumbnailLayout;
  latest_thumbnail?: ThumbnailLayout;
}

export interface RecordingEvent {
  identity: RecordingIdentity;
  status: RecordingStatus;
  media: MediaLayout;
  startedAtMs?: number;
  endedAtMs?: number;
  /** Total recorded media; reported only once the recording has ended. */
  durationMs?: number;
  message?: string;
}

export function recordingEventDocument(event: RecordingEvent): string {
  const { hls, ...otherMedia } = event.media;
  const media: Record<string, unknown> = {};
  if (hls) media.hls = event.durationMs === undefined ? hls : { duration_ms: Math.round(event.durationMs), ...hls };
  Object.assign(media, otherMedia);
  const document = {
    version: 'v1',
    ...event.identity,
    ...(event.startedAtMs !== undefined && { recording_started_at: isoSeconds(event.startedAtMs) }),
    ...(event.endedAtMs !== undefined && { recording_ended_at: isoSeconds(event.endedAtMs) }),
    recording_status: event.status,
    ...(event.message !== undefined && { recording_status_message: event.message }),
    media,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
