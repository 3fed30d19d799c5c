import { z } from 'zod';
import { fieldIssues, inlineIssues } from '../../contracts/issues';

/**
 * The `events/recording-*.json` documents IVS writes for individual participant and composite recordings. The schema
 * is lenient about what the index does not use (unknown fields are dropped, optional ones may be missing) and strict
 * about the types of what it does use, so a document the index cannot trust is reported as unreadable.
 */

const hlsRenditionSchema = z.object({
  path: z.string().min(1),
  playlist: z.string().min(1).optional(),
  resolution_width: z.number().optional(),
  resolution_height: z.number().optional(),
});

const thumbnailFolderSchema = z.object({ path: z.string().min(1) });

const thumbnailLayoutSchema = z.object({
  path: z.string().min(1),
  // Participant recordings name their folders `renditions`, composite recordings `resolutions`.
  renditions: z.array(thumbnailFolderSchema).optional(),
  resolutions: z.array(thumbnailFolderSchema).optional(),
});

const recordingEventSchema = z.object({
  version: z.string().optional(),
  stage_arn: z.string().optional(),
  session_id: z.string().optional(),
  participant_id: z.string().optional(),
  recording_started_at: z.string().optional(),
  recording_ended_at: z.string().optional(),
  recording_status: z.string().min(1),
  recording_status_message: z.string().optional(),
  /** Not written by IVS today; honoured if a future version reports the recorded media types. */
  media_types: z.array(z.string()).optional(),
  media: z
    .object({
      hls: z
        .object({
          duration_ms: z.number().nonnegative().optional(),
          path: z.string().min(1),
          playlist: z.string().min(1),
          renditions: z.array(hlsRenditionSchema),
        })
        .optional(),
      thumbnails: thumbnailLayoutSchema.optional(),
      latest_thumbnail: thumbnailLayoutSchema.optional(),
    })
    .optional(),
});

export type RecordingEventDocument = z.infer<typeof recordingEventSchema>;
export type ThumbnailLayout = z.infer<typeof thumbnailLayoutSchema>;

export type ParsedRecordingEvent = { ok: true; document: RecordingEventDocument } | { ok: false; reason: string };

export function parseRecordingEvent(text: string): ParsedRecordingEvent {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `invalid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const result = recordingEventSchema.safeParse(json);
  if (result.success) return { ok: true, document: result.data };
  return {
    ok: false,
    reason: `unexpected document: ${inlineIssues(fieldIssues(result.error.issues.slice(0, 3), '(document)'))}`,
  };
}

/** Folder names of a thumbnail layout, whichever of the two spellings it uses. */
export function thumbnailFolders(layout: ThumbnailLayout | undefined): string[] {
  return [...(layout?.renditions ?? []), ...(layout?.resolutions ?? [])].map((folder) => folder.path);
}
