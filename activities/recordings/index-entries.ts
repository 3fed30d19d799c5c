import { thumbnailFolders, type RecordingEventDocument } from './recording-events';
import type { RecordingReading } from './recording-reader';
import type { RecordingTally } from './recording-tally';

/** One recording as the index describes it. Keys are full S3 keys (no bucket), or null when the object is absent. */

export interface RenditionEntry {
  path: string;
  playlist: string | null;
  segments: number;
  init_segments: number;
  resolution_width?: number;
  resolution_height?: number;
}

export interface ThumbnailsEntry {
  /** `<n>.jpg` objects over all thumbnail folders (storage SEQUENTIAL). */
  sequential: number;
  /** The first `thumb.jpg` (storage LATEST), or null. */
  latest: string | null;
  renditions: { path: string; sequential: number; latest: string | null }[];
}

export interface RecordingEntry {
  prefix: string;
  start: string | null;
  end: string | null;
  /** `media.hls.duration_ms` of the final events document; null when unknown (not ended, no HLS, unreadable). */
  duration_ms: number | null;
  status: string;
  status_message?: string;
  playlist: string | null;
  renditions: RenditionEntry[];
  thumbnails: ThumbnailsEntry;
  objects: number;
  bytes: number;
}

export type MediaType = 'AUDIO_VIDEO' | 'AUDIO_ONLY' | 'NONE';

export interface ParticipantRecordingEntry extends RecordingEntry {
  media_types: string[];
}

const DEFAULT_HLS_PATH = 'media/hls';
const DEFAULT_MULTIVARIANT = 'multivariant.m3u8';
const DEFAULT_MEDIA_PLAYLIST = 'playlist.m3u8';
const DEFAULT_THUMBNAILS_PATH = 'media/thumbnails';
const DEFAULT_LATEST_THUMBNAIL_PATH = 'media/latest_thumbnail';
const LATEST_THUMBNAIL = 'thumb.jpg';

/** The documented folders first, in document order, then any other folder the listing found. */
function mergeFolders(documented: string[], listed: string[]): string[] {
  const names = [...new Set(documented)];
  for (const name of listed) if (!names.includes(name)) names.push(name);
  return names;
}

function renditions(tally: RecordingTally, document: RecordingEventDocument | undefined): RenditionEntry[] {
  const hls = document?.media?.hls;
  const hlsPath = hls?.path ?? DEFAULT_HLS_PATH;
  const documented = new Map((hls?.renditions ?? []).map((r) => [r.path, r]));
  return mergeFolders([...documented.keys()], tally.subfolders(hlsPath)).map((path) => {
    const described = documented.get(path);
    const folder = `${hlsPath}/${path}`;
    const counts = tally.folder(folder);
    const playlist = described?.playlist ?? DEFAULT_MEDIA_PLAYLIST;
    return {
      path,
      playlist: tally.hasFile(folder, playlist) ? `${tally.prefix}/${folder}/${playlist}` : null,
      segments: counts?.segments ?? 0,
      init_segments: counts?.initSegments ?? 0,
      ...(described?.resolution_width !== undefined && { resolution_width: described.resolution_width }),
      ...(described?.resolution_height !== undefined && { resolution_height: described.resolution_height }),
    };
  });
}

function thumbnails(tally: RecordingTally, document: RecordingEventDocument | undefined): ThumbnailsEntry {
  const media = document?.media;
  const sequentialPath = media?.thumbnails?.path ?? DEFAULT_THUMBNAILS_PATH;
  const latestPath = media?.latest_thumbnail?.path ?? DEFAULT_LATEST_THUMBNAIL_PATH;
  const names = mergeFolders(
    [...thumbnailFolders(media?.thumbnails), ...thumbnailFolders(media?.latest_thumbnail)],
    [...tally.subfolders(sequentialPath), ...tally.subfolders(latestPath)],
  );
  const entries = names.map((path) => {
    const latestFolder = `${latestPath}/${path}`;
    return {
      path,
      sequential: tally.folder(`${sequentialPath}/${path}`)?.sequentialThumbnails ?? 0,
      latest: tally.hasFile(latestFolder, LATEST_THUMBNAIL)
        ? `${tally.prefix}/${latestFolder}/${LATEST_THUMBNAIL}`
        : null,
    };
  });
  return {
    sequential: entries.reduce((sum, e) => sum + e.sequential, 0),
    latest: entries.find((e) => e.latest !== null)?.latest ?? null,
    renditions: entries,
  };
}

/**
 * The media types of a participant recording. IVS's events documents do not name them and the index reads no media
 * object, so they are derived, first rule that applies:
 * 1. `media_types` in the events document, if a future IVS version writes it;
 * 2. no HLS at all (neither `media.hls` in the document nor objects under `media/hls/`) → NONE (thumbnails only);
 * 3. evidence of video → AUDIO_VIDEO: a rendition with a resolution, or thumbnails (declared or listed), which IVS
 *    only takes from video;
 * 4. every rendition folder named like audio (`audio…`) → AUDIO_ONLY;
 * 5. otherwise AUDIO_VIDEO, the stage's default. An AUDIO_ONLY recording without thumbnails in a folder such as
 *    `high` is indistinguishable here (its multivariant playlist's CODECS would tell; the index does not read it).
 */
export function deriveMediaTypes(
  tally: RecordingTally,
  document: RecordingEventDocument | undefined,
  entries: { renditions: RenditionEntry[]; thumbnails: ThumbnailsEntry },
): string[] {
  if (document?.media_types?.length) return document.media_types;
  const hlsPath = document?.media?.hls?.path ?? DEFAULT_HLS_PATH;
  if (!document?.media?.hls && !tally.hasAnythingUnder(hlsPath)) return ['NONE' satisfies MediaType];
  const hasThumbnails =
    entries.thumbnails.renditions.length > 0 || entries.thumbnails.sequential > 0 || entries.thumbnails.latest !== null;
  const hasResolution = entries.renditions.some((r) => r.resolution_width !== undefined);
  if (hasThumbnails || hasResolution) return ['AUDIO_VIDEO' satisfies MediaType];
  if (entries.renditions.length > 0 && entries.renditions.every((r) => /^audio/i.test(r.path))) {
    return ['AUDIO_ONLY' satisfies MediaType];
  }
  return ['AUDIO_VIDEO' satisfies MediaType];
}

export function recordingEntry(tally: RecordingTally, reading: RecordingReading): RecordingEntry {
  const { document } = reading;
  const hls = document?.media?.hls;
  const hlsPath = hls?.path ?? DEFAULT_HLS_PATH;
  const multivariant = hls?.playlist ?? DEFAULT_MULTIVARIANT;
  return {
    prefix: tally.prefix,
    start: document?.recording_started_at ?? null,
    end: document?.recording_ended_at ?? null,
    // Length comes from the document, never from the timestamps: pauses inside a reconnect window are not media.
    duration_ms: reading.outcome === 'ended' || reading.outcome === 'failed' ? (hls?.duration_ms ?? null) : null,
    status: reading.status,
    ...(reading.statusMessage !== undefined && { status_message: reading.statusMessage }),
    playlist: tally.hasFile(hlsPath, multivariant) ? `${tally.prefix}/${hlsPath}/${multivariant}` : null,
    renditions: renditions(tally, document),
    thumbnails: thumbnails(tally, document),
    objects: tally.objects,
    bytes: tally.bytes,
  };
}

export function participantRecordingEntry(tally: RecordingTally, reading: RecordingReading): ParticipantRecordingEntry {
  const entry = recordingEntry(tally, reading);
  const { prefix, start, end, duration_ms, status, status_message, ...media } = entry;
  return {
    prefix,
    start,
    end,
    duration_ms,
    status,
    ...(status_message !== undefined && { status_message }),
    media_types: deriveMediaTypes(tally, reading.document, entry),
    ...media,
  };
}
