/**
 * HLS playlist text in the shape IVS records: one multivariant playlist naming one rendition, and an fMP4 media
 * playlist that grows segment by segment (EVENT) and is closed at the end (VOD + ENDLIST).
 */

export interface VariantStream {
  bandwidth: number;
  codecs: string;
  /** Absent for audio-only recordings. */
  resolution?: { width: number; height: number };
  frameRate?: number;
  /** Relative to the multivariant playlist, e.g. `high/playlist.m3u8`. */
  uri: string;
}

export function multivariantPlaylist(variant: VariantStream): string {
  const attributes = [`BANDWIDTH=${Math.round(variant.bandwidth)}`];
  if (variant.resolution) attributes.push(`RESOLUTION=${variant.resolution.width}x${variant.resolution.height}`);
  if (variant.frameRate !== undefined) attributes.push(`FRAME-RATE=${variant.frameRate.toFixed(3)}`);
  attributes.push(`CODECS="${variant.codecs}"`);
  return [
    '#EXTM3U',
    '#EXT-X-VERSION:3',
    '#EXT-X-INDEPENDENT-SEGMENTS',
    `#EXT-X-STREAM-INF:${attributes.join(',')}`,
    variant.uri,
    '',
  ].join('\n');
}

export interface MediaSegment {
  uri: string;
  durationMs: number;
  /**
   * Set on the first segment after media (re)starts: it carries the init segment to use from here on and the wall
   * clock time of its first frame. On any but the very first segment it also means a discontinuity.
   */
  start?: { initUri: string; programDateTimeMs: number };
}

/**
 * The media playlist of one rendition. Only the segment lines are kept (memory O(segments)); the header is rebuilt on
 * every render because the playlist type changes at the end.
 */
export class MediaPlaylist {
  private body = '';
  /** Length of `body` after each segment, so a render can stop at the segments already uploaded. */
  private readonly segmentEnds: number[] = [];
  private longestMs = 0;

  constructor(private readonly targetDurationSeconds: number) {}

  get segments(): number {
    return this.segmentEnds.length;
  }

  append(segment: MediaSegment): void {
    if (segment.start) {
      if (this.segmentEnds.length > 0) this.body += '#EXT-X-DISCONTINUITY\n';
      this.body += `#EXT-X-MAP:URI="${segment.start.initUri}"\n`;
      this.body += `#EXT-X-PROGRAM-DATE-TIME:${new Date(segment.start.programDateTimeMs).toISOString()}\n`;
    }
    this.body += `#EXTINF:${(segment.durationMs / 1000).toFixed(3)},\n${segment.uri}\n`;
    this.segmentEnds.push(this.body.length);
    this.longestMs = Math.max(this.longestMs, segment.durationMs);
  }

  /** Renders the first `segmentCount` segments (all by default). */
  render(ended: boolean, segmentCount = this.segmentEnds.length): string {
    // Every EXTINF rounded to the nearest integer must fit in TARGETDURATION (RFC 8216 4.3.3.1).
    const target = Math.max(Math.ceil(this.targetDurationSeconds), Math.round(this.longestMs / 1000));
    const header = [
      '#EXTM3U',
      '#EXT-X-VERSION:7',
      `#EXT-X-TARGETDURATION:${target}`,
      '#EXT-X-MEDIA-SEQUENCE:0',
      `#EXT-X-PLAYLIST-TYPE:${ended ? 'VOD' : 'EVENT'}`,
      '',
    ].join('\n');
    const body =
      segmentCount > 0 ? this.body.slice(0, this.segmentEnds[Math.min(segmentCount, this.segments) - 1]) : '';
    return header + body + (ended ? '#EXT-X-ENDLIST\n' : '');
  }
}
