import type { TimerHandle } from '../clock';
import { multivariantPlaylist } from './hls-playlist';
import type { MediaLayout } from './recording-events';
import { RecordingSession, type RecordingDeps, type RecordingPlan } from './recording-session';
import type { ParticipantRecorder, ParticipantRecordingSpec, RecordingObserver } from './types';

const RENDITION = 'high';

// IVS does not document the bitrate of participant recordings; these describe a typical 720p publisher.
const AUDIO_VIDEO_VARIANT = {
  bandwidth: 2_628_000,
  codecs: 'avc1.64001F,mp4a.40.2',
  resolution: { width: 1280, height: 720 },
};
const AUDIO_ONLY_VARIANT = { bandwidth: 128_000, codecs: 'mp4a.40.2' };

export function participantRecordingPlan(spec: ParticipantRecordingSpec): RecordingPlan {
  const media: MediaLayout = {};
  const plan: RecordingPlan = {
    bucket: spec.bucket,
    prefix: spec.prefix.replace(/\/+$/, ''),
    identity: { stage_arn: spec.stageArn, session_id: spec.sessionId, participant_id: spec.participantId },
    media,
  };
  if (spec.mediaType !== 'NONE') {
    const variant = spec.mediaType === 'AUDIO_ONLY' ? AUDIO_ONLY_VARIANT : AUDIO_VIDEO_VARIANT;
    media.hls = {
      path: 'media/hls',
      playlist: 'multivariant.m3u8',
      renditions: [{ path: RENDITION, playlist: 'playlist.m3u8' }],
    };
    plan.hls = {
      renditionDir: `media/hls/${RENDITION}`,
      multivariant: multivariantPlaylist({ ...variant, uri: `${RENDITION}/playlist.m3u8` }),
      segmentDurationMs: spec.segmentDurationSeconds * 1000,
    };
  }
  const { thumbnails } = spec;
  if (thumbnails.recordingMode === 'INTERVAL' && thumbnails.storage.length > 0) {
    plan.thumbnails = { intervalMs: thumbnails.targetIntervalSeconds * 1000 };
    if (thumbnails.storage.includes('SEQUENTIAL')) {
      media.thumbnails = { path: 'media/thumbnails', renditions: [{ path: RENDITION }] };
      plan.thumbnails.sequentialDir = `media/thumbnails/${RENDITION}`;
    }
    if (thumbnails.storage.includes('LATEST')) {
      media.latest_thumbnail = { path: 'media/latest_thumbnail', renditions: [{ path: RENDITION }] };
      plan.thumbnails.latestKey = `media/latest_thumbnail/${RENDITION}/thumb.jpg`;
    }
  }
  return plan;
}

/**
 * An individual participant recording. It starts when created; media pauses and resumes with the publisher, and a
 * pause that outlasts the reconnect window ends the recording.
 */
export class S3ParticipantRecorder implements ParticipantRecorder {
  readonly session: RecordingSession;
  private reconnectTimer: TimerHandle | undefined;

  constructor(
    private readonly spec: ParticipantRecordingSpec,
    observer: RecordingObserver,
    private readonly deps: RecordingDeps,
  ) {
    this.session = new RecordingSession(participantRecordingPlan(spec), observer, deps);
    this.session.begin(spec.startedAtMs);
  }

  mediaStarted(sinceMs?: number): void {
    this.cancelReconnectWindow();
    this.session.resumeMedia(sinceMs);
  }

  mediaStopped(): void {
    this.session.pauseMedia();
    if (!this.session.live || this.reconnectTimer) return;
    const windowMs = Math.max(0, this.spec.reconnectWindowSeconds) * 1000;
    if (windowMs === 0) {
      void this.session.finish();
      return;
    }
    this.armReconnectWindow(this.deps.clock.now() + windowMs);
  }

  /** Real timers have millisecond granularity, so a scaled one can fire early: the window is re-checked on the clock. */
  private armReconnectWindow(deadlineMs: number): void {
    this.reconnectTimer = this.deps.clock.setTimer(deadlineMs - this.deps.clock.now(), () => {
      this.reconnectTimer = undefined;
      if (this.deps.clock.now() < deadlineMs) this.armReconnectWindow(deadlineMs);
      else void this.session.finish();
    });
  }

  end(): Promise<void> {
    this.cancelReconnectWindow();
    return this.session.finish();
  }

  fail(message: string): Promise<void> {
    this.cancelReconnectWindow();
    return this.session.fail(message);
  }

  settled(): Promise<void> {
    return this.session.settled();
  }

  private cancelReconnectWindow(): void {
    this.reconnectTimer?.cancel();
    this.reconnectTimer = undefined;
  }
}
