import type { S3Client } from '@aws-sdk/client-s3';
import type { Clock, TimerHandle } from '../clock';
import { MediaPlaylist } from './hls-playlist';
import { recordingEventDocument, type MediaLayout, type RecordingIdentity } from './recording-events';
import { describeError, SerialWriter } from './serial-writer';
import { fmp4InitSegment, fmp4MediaSegment, tinyJpeg } from './synthetic-media';
import type { ParticipantRecordingState, RecordingObserver } from './types';

/** What one recording writes and where; participant and composite recordings differ only in this. */
export interface RecordingPlan {
  bucket: string;
  /** Without a trailing '/'. */
  prefix: string;
  identity: RecordingIdentity;
  media: MediaLayout;
  /** Absent when no HLS media is recorded (participant mediaType NONE). */
  hls?: {
    /** Relative to the prefix, e.g. `media/hls/high`. */
    renditionDir: string;
    multivariant: string;
    segmentDurationMs: number;
  };
  thumbnails?: {
    intervalMs: number;
    /** Directory of `1.jpg, 2.jpg ...` (storage SEQUENTIAL). */
    sequentialDir?: string;
    /** Key overwritten with each thumbnail (storage LATEST). */
    latestKey?: string;
  };
}

export interface RecordingDeps {
  s3: S3Client;
  clock: Clock;
  log: (msg: string) => void;
}

/** One uninterrupted stretch of media; a pause ends it, a resume starts the next behind a discontinuity. */
interface MediaRun {
  index: number;
  startMs: number;
  segmentStartMs: number;
  firstSegmentPending: boolean;
}

type Phase = 'new' | 'live' | 'ending' | 'over';

/**
 * Drives one recording on the emulated clock: start objects, a segment every `segmentDurationMs` and a thumbnail
 * every `intervalMs` of media time while media flows, then the end (or failure) documents. All writes go through one
 * serial queue, and observer notifications ride the same queue so states are reported only once their objects exist.
 */
export class RecordingSession {
  private phase: Phase = 'new';
  private failing = false;
  private startedAtMs: number | undefined;
  /** Set once recording-started.json is in S3: failures before that are start failures. */
  private startConfirmed = false;
  private run: MediaRun | undefined;
  private runCount = 0;
  private segmentCount = 0;
  /** Segments (and their duration) already in S3: playlists and documents describe only what really is there. */
  private writtenSegments = 0;
  private writtenMediaMs = 0;
  /** A live playlist write is queued and not yet rendered: it will include newer segments, so no second one. */
  private playlistWriteQueued = false;
  /** Same for the LATEST thumbnail, which each write overwrites anyway. */
  private latestThumbnailQueued = false;
  private mediaMsBeforeRun = 0;
  private nextThumbnailAtMediaMs = 0;
  private thumbnailCount = 0;
  private timer: TimerHandle | undefined;
  private readonly playlist: MediaPlaylist | undefined;
  private readonly writer: SerialWriter;
  private readonly done: Promise<void>;
  private resolveDone: () => void = () => undefined;

  constructor(
    private readonly plan: RecordingPlan,
    private readonly observer: RecordingObserver,
    private readonly deps: RecordingDeps,
  ) {
    if (plan.hls && !(plan.hls.segmentDurationMs > 0)) throw new RangeError('segment duration must be positive');
    if (plan.thumbnails && !(plan.thumbnails.intervalMs > 0))
      throw new RangeError('thumbnail interval must be positive');
    this.playlist = plan.hls && new MediaPlaylist(plan.hls.segmentDurationMs / 1000);
    this.writer = new SerialWriter(
      deps.s3,
      plan.bucket,
      plan.prefix,
      (key, error) => this.onPutFailure(key, error),
      deps.log,
    );
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  get live(): boolean {
    return this.phase === 'live';
  }

  /** Writes the start objects; media only flows after `resumeMedia()`. `atMs` backdates the start (default now). */
  begin(atMs?: number): void {
    if (this.phase !== 'new') return;
    this.phase = 'live';
    this.startedAtMs = Math.min(atMs ?? Number.POSITIVE_INFINITY, this.deps.clock.now());
    this.notify('STARTING');
    if (this.plan.hls) {
      this.writer.put('media/hls/multivariant.m3u8', this.plan.hls.multivariant);
      this.writer.put(`${this.plan.hls.renditionDir}/init-0.mp4`, fmp4InitSegment());
    }
    const startedAtMs = this.startedAtMs;
    this.writer.put('events/recording-started.json', () =>
      recordingEventDocument({
        identity: this.plan.identity,
        status: 'RECORDING_STARTED',
        media: this.plan.media,
        startedAtMs,
      }),
    );
    this.writer.step(() => {
      this.startConfirmed = true;
    });
    this.notify('ACTIVE');
  }

  /**
   * `sinceMs` backdates the run (default now), never before the recording's start: the segments due since then are
   * written at once, as `advance` catches up.
   */
  resumeMedia(sinceMs?: number): void {
    if (this.phase !== 'live' || this.run) return;
    const now = this.deps.clock.now();
    const startMs = Math.max(Math.min(sinceMs ?? now, now), this.startedAtMs ?? now);
    const index = this.runCount++;
    this.run = { index, startMs, segmentStartMs: startMs, firstSegmentPending: true };
    if (index > 0 && this.plan.hls)
      this.writer.put(`${this.plan.hls.renditionDir}/init-${index}.mp4`, fmp4InitSegment());
    this.advance(now);
    this.schedule();
  }

  /** Closes the current run: the media recorded since the last segment boundary becomes a short final segment. */
  pauseMedia(): void {
    const run = this.run;
    if (!run) return;
    const now = this.deps.clock.now();
    this.advance(now);
    const partialMs = Math.round(now - run.segmentStartMs);
    if (this.plan.hls && partialMs > 0) this.writeSegment(run, partialMs);
    this.mediaMsBeforeRun += now - run.startMs;
    this.run = undefined;
    this.cancelTimer();
  }

  finish(): Promise<void> {
    if (this.phase === 'new') {
      this.phase = 'over';
      this.resolveDone();
    }
    if (this.phase !== 'live') return this.done;
    this.phase = 'ending';
    this.pauseMedia();
    const endedAtMs = this.deps.clock.now();
    const startedAtMs = this.startedAtMs;
    this.notify('STOPPING');
    this.queueFinalPlaylist();
    this.writer.put('events/recording-ended.json', () =>
      recordingEventDocument({
        identity: this.plan.identity,
        status: 'RECORDING_ENDED',
        media: this.plan.media,
        startedAtMs,
        endedAtMs,
        durationMs: this.writtenMediaMs,
      }),
    );
    this.notify('STOPPED');
    this.writer.step(() => this.complete());
    return this.done;
  }

  fail(message: string): Promise<void> {
    if (this.phase !== 'over' && !this.failing) this.beginFailure(message);
    return this.done;
  }

  /** Resolves once the recording is over and every one of its writes has finished. */
  settled(): Promise<void> {
    return this.done;
  }

  /** For drain: an ending recording is waited out, a live one only until its queued writes are done. */
  async quiesced(): Promise<void> {
    if (this.phase === 'live' || this.phase === 'new') await this.writer.flushed();
    else await this.done;
  }

  private beginFailure(message: string): void {
    this.failing = true;
    this.pauseMedia();
    this.cancelTimer();
    this.phase = 'ending';
    const endedAtMs = this.deps.clock.now();
    const startedAtMs = this.startedAtMs;
    // Closing the playlist over the segments that made it to S3 keeps what was recorded playable.
    this.queueFinalPlaylist(true);
    this.writer.put(
      'events/recording-failed.json',
      () =>
        recordingEventDocument(
          this.startConfirmed
            ? {
                identity: this.plan.identity,
                status: 'RECORDING_ENDED_WITH_FAILURE',
                media: this.plan.media,
                startedAtMs,
                endedAtMs,
                durationMs: this.writtenMediaMs,
                message,
              }
            : { identity: this.plan.identity, status: 'RECORDING_START_FAILED', media: this.plan.media, message },
        ),
      { force: true },
    );
    this.notify('FAILED', message, true);
    this.writer.step(() => this.complete(), { force: true });
  }

  private onPutFailure(relativeKey: string, error: unknown): void {
    const message = `S3 write of ${relativeKey} failed: ${describeError(error)}`;
    this.deps.log(`recording s3://${this.plan.bucket}/${this.plan.prefix}: ${message}`);
    // Nothing queued behind a failed write may land: a later playlist would reference a missing segment.
    this.writer.halt();
    if (this.phase !== 'over' && !this.failing) this.beginFailure(message);
  }

  private playlistKey(): string {
    return `${this.plan.hls?.renditionDir ?? 'media/hls'}/playlist.m3u8`;
  }

  private complete(): void {
    this.phase = 'over';
    this.cancelTimer();
    this.resolveDone();
  }

  private notify(state: ParticipantRecordingState, message?: string, force = false): void {
    this.writer.step(
      () => {
        try {
          this.observer.onState(state, message);
        } catch (error) {
          this.deps.log(`recording observer threw on ${state}: ${describeError(error)}`);
        }
      },
      { force },
    );
  }

  /** Emits every segment and thumbnail due by `now`; timers may fire late, so this catches up. */
  private advance(now: number): void {
    const run = this.run;
    if (!run) return;
    if (this.plan.hls) {
      const segmentMs = this.plan.hls.segmentDurationMs;
      while (run.segmentStartMs + segmentMs <= now) {
        this.writeSegment(run, segmentMs);
        run.segmentStartMs += segmentMs;
      }
    }
    const thumbnails = this.plan.thumbnails;
    if (thumbnails) {
      const mediaNow = this.mediaMsBeforeRun + (now - run.startMs);
      if (mediaNow >= this.nextThumbnailAtMediaMs) {
        this.writeThumbnail();
        this.nextThumbnailAtMediaMs = (Math.floor(mediaNow / thumbnails.intervalMs) + 1) * thumbnails.intervalMs;
      }
    }
  }

  private schedule(): void {
    this.cancelTimer();
    const run = this.run;
    if (!run) return;
    const now = this.deps.clock.now();
    let waitMs = Number.POSITIVE_INFINITY;
    if (this.plan.hls) waitMs = run.segmentStartMs + this.plan.hls.segmentDurationMs - now;
    if (this.plan.thumbnails) {
      waitMs = Math.min(waitMs, this.nextThumbnailAtMediaMs - (this.mediaMsBeforeRun + (now - run.startMs)));
    }
    if (!Number.isFinite(waitMs)) return;
    this.timer = this.deps.clock.setTimer(Math.max(0, waitMs), () => this.onTimer());
  }

  private onTimer(): void {
    this.timer = undefined;
    if (this.phase !== 'live' || !this.run) return;
    try {
      this.advance(this.deps.clock.now());
      this.schedule();
    } catch (error) {
      this.deps.log(`recording s3://${this.plan.bucket}/${this.plan.prefix}: timer failed: ${describeError(error)}`);
    }
  }

  private cancelTimer(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  private writeSegment(run: MediaRun, durationMs: number): void {
    const hls = this.plan.hls;
    const playlist = this.playlist;
    if (!hls || !playlist) return;
    const sequence = this.segmentCount++;
    this.writer.put(`${hls.renditionDir}/${sequence}.mp4`, () => fmp4MediaSegment(sequence));
    this.writer.step(() => {
      this.writtenSegments++;
      this.writtenMediaMs += durationMs;
    });
    playlist.append({
      uri: `${sequence}.mp4`,
      durationMs,
      ...(run.firstSegmentPending && { start: { initUri: `init-${run.index}.mp4`, programDateTimeMs: run.startMs } }),
    });
    run.firstSegmentPending = false;
    this.queueLivePlaylist();
  }

  /**
   * Rendered when its turn comes, from the segments then in S3: when S3 lags behind the emulated clock the queue holds
   * one pending playlist, not one full copy per segment.
   */
  private queueLivePlaylist(): void {
    const playlist = this.playlist;
    if (!playlist || this.playlistWriteQueued) return;
    this.playlistWriteQueued = true;
    this.writer.put(this.playlistKey(), () => {
      this.playlistWriteQueued = false;
      return playlist.render(false, this.writtenSegments);
    });
  }

  /** After a failure only a recording that really started gets one, and it is written despite the halted queue. */
  private queueFinalPlaylist(afterFailure = false): void {
    const playlist = this.playlist;
    if (!playlist) return;
    this.writer.put(
      this.playlistKey(),
      () => (afterFailure && !this.startConfirmed ? undefined : playlist.render(true, this.writtenSegments)),
      { force: afterFailure },
    );
  }

  private writeThumbnail(): void {
    const thumbnails = this.plan.thumbnails;
    if (!thumbnails) return;
    const number = ++this.thumbnailCount;
    if (thumbnails.sequentialDir) this.writer.put(`${thumbnails.sequentialDir}/${number}.jpg`, tinyJpeg);
    if (thumbnails.latestKey && !this.latestThumbnailQueued) {
      this.latestThumbnailQueued = true;
      this.writer.put(thumbnails.latestKey, () => {
        this.latestThumbnailQueued = false;
        return tinyJpeg();
      });
    }
  }
}
