import { randomInt } from 'node:crypto';
import { multivariantPlaylist } from './hls-playlist';
import type { MediaLayout } from './recording-events';
import { RecordingSession, type RecordingDeps, type RecordingPlan } from './recording-session';
import type { CompositeRecorder, CompositeRecordingSpec, RecordingObserver } from './types';

const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** IVS names the composite rendition `<height>p<fps>-<10 random characters>`, e.g. `720p30-abcdeABCDE`. */
export function compositeRenditionPath(height: number, framerate: number): string {
  let suffix = '';
  for (let i = 0; i < 10; i++) suffix += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return `${height}p${Math.round(framerate)}-${suffix}`;
}

const AUDIO_BITRATE = 128_000;

export function compositeRecordingPlan(spec: CompositeRecordingSpec): RecordingPlan {
  const { width, height, framerate, bitrate } = spec.video;
  const rendition = compositeRenditionPath(height, framerate);
  const media: MediaLayout = {
    hls: {
      path: 'media/hls',
      playlist: 'multivariant.m3u8',
      renditions: [{ path: rendition, playlist: 'playlist.m3u8', resolution_width: width, resolution_height: height }],
    },
  };
  const plan: RecordingPlan = {
    bucket: spec.bucket,
    prefix: spec.prefix.replace(/\/+$/, ''),
    identity: { stage_arn: spec.stageArn },
    media,
    hls: {
      renditionDir: `media/hls/${rendition}`,
      multivariant: multivariantPlaylist({
        bandwidth: bitrate + AUDIO_BITRATE,
        codecs: 'avc1.64001F,mp4a.40.2',
        resolution: { width, height },
        frameRate: framerate,
        uri: `${rendition}/playlist.m3u8`,
      }),
      segmentDurationMs: spec.segmentDurationSeconds * 1000,
    },
  };
  const thumbnails = spec.thumbnails[0];
  if (thumbnails && thumbnails.storage.length > 0) {
    const size = `${width}x${height}`;
    const resolutions = [{ path: size, resolution_width: width, resolution_height: height }];
    plan.thumbnails = { intervalMs: thumbnails.targetIntervalSeconds * 1000 };
    if (thumbnails.storage.includes('SEQUENTIAL')) {
      media.thumbnails = { path: 'media/thumbnails', resolutions };
      plan.thumbnails.sequentialDir = `media/thumbnails/${size}`;
    }
    if (thumbnails.storage.includes('LATEST')) {
      media.latest_thumbnail = { path: 'media/latest_thumbnail', resolutions };
      plan.thumbnails.latestKey = `media/latest_thumbnail/${size}/thumb.jpg`;
    }
  }
  return plan;
}

/** The recording of one composition S3 destination: one uninterrupted run from `start()` to `end()`. */
export class S3CompositeRecorder implements CompositeRecorder {
  readonly session: RecordingSession;

  constructor(spec: CompositeRecordingSpec, observer: RecordingObserver, deps: RecordingDeps) {
    this.session = new RecordingSession(compositeRecordingPlan(spec), observer, deps);
  }

  start(): void {
    this.session.begin();
    this.session.resumeMedia();
  }

  end(): Promise<void> {
    return this.session.finish();
  }

  fail(message: string): Promise<void> {
    return this.session.fail(message);
  }

  settled(): Promise<void> {
    return this.session.settled();
  }
}
