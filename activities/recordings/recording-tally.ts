/**
 * What the listing of one recording prefix amounts to, folded object by object so that memory stays per recording
 * (a handful of folders), never per object: a recording with 100,000 segments is a few counters.
 */

export const EVENT_FILES = ['recording-started.json', 'recording-ended.json', 'recording-failed.json'] as const;
export type EventFile = (typeof EVENT_FILES)[number];

const MEDIA_SEGMENT = /^\d+\.mp4$/;
const INIT_SEGMENT = /^init-\d+\.mp4$/;
const SEQUENTIAL_THUMBNAIL = /^\d+\.jpg$/;
/** Bounds for unexpected layouts: beyond these, objects are still counted but their names are not remembered. */
const MAX_FOLDERS = 64;
const MAX_NAMED_FILES_PER_FOLDER = 8;

export interface FolderTally {
  /** `<n>.mp4` fMP4 media segments. */
  segments: number;
  /** `init-<n>.mp4`: one per run of media (a reconnect starts a new one). */
  initSegments: number;
  /** `<n>.jpg`: thumbnails stored SEQUENTIAL. */
  sequentialThumbnails: number;
  /** Other names seen here (playlists, `thumb.jpg`), so the index only points at keys that exist. */
  files: Set<string>;
}

export class RecordingTally {
  objects = 0;
  bytes = 0;
  readonly events = new Set<EventFile>();
  /** Keyed by folder relative to the prefix, e.g. `media/hls/high`. */
  private readonly folders = new Map<string, FolderTally>();

  /** @param prefix the recording prefix, without a trailing '/'. */
  constructor(
    readonly bucket: string,
    readonly prefix: string,
  ) {}

  /** @param relativeKey the key without `<prefix>/`. */
  add(relativeKey: string, size: number): void {
    this.objects++;
    this.bytes += size;
    const slash = relativeKey.lastIndexOf('/');
    const folder = slash < 0 ? '' : relativeKey.slice(0, slash);
    const name = relativeKey.slice(slash + 1);
    if (folder === 'events') {
      if ((EVENT_FILES as readonly string[]).includes(name)) this.events.add(name as EventFile);
      return;
    }
    let tally = this.folders.get(folder);
    if (!tally) {
      if (this.folders.size >= MAX_FOLDERS) return;
      tally = { segments: 0, initSegments: 0, sequentialThumbnails: 0, files: new Set() };
      this.folders.set(folder, tally);
    }
    if (MEDIA_SEGMENT.test(name)) tally.segments++;
    else if (INIT_SEGMENT.test(name)) tally.initSegments++;
    else if (SEQUENTIAL_THUMBNAIL.test(name)) tally.sequentialThumbnails++;
    else if (tally.files.size < MAX_NAMED_FILES_PER_FOLDER) tally.files.add(name);
  }

  folder(path: string): FolderTally | undefined {
    return this.folders.get(path);
  }

  hasFile(folder: string, name: string): boolean {
    return this.folders.get(folder)?.files.has(name) ?? false;
  }

  /** Names of the folders directly inside `parent` (e.g. the renditions inside `media/hls`), sorted. */
  subfolders(parent: string): string[] {
    const names: string[] = [];
    for (const path of this.folders.keys()) {
      if (path.startsWith(`${parent}/`) && !path.includes('/', parent.length + 1))
        names.push(path.slice(parent.length + 1));
    }
    return names.sort();
  }

  /** Whether anything was listed at or below `folder`. */
  hasAnythingUnder(folder: string): boolean {
    for (const path of this.folders.keys()) if (path === folder || path.startsWith(`${folder}/`)) return true;
    return false;
  }

  /** Ended or failed: the recording will not change any more. */
  get settled(): boolean {
    return this.events.has('recording-ended.json') || this.events.has('recording-failed.json');
  }
}
