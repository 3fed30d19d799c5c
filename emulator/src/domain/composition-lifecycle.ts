import type { TimerHandle } from '../clock';
import type { CompositeRecordingSpec } from '../recording/types';
import type { RegionState } from '../state/region-state';
import type { CompositionRecord, DestinationRecord, DestinationState } from '../state/records';
import type { EmulatorContext } from './emulator-context';

const LIVE_COMPOSITION_STATES = new Set(['STARTING', 'ACTIVE', 'STOPPING']);
const CARRYING_DESTINATION_STATES = new Set<DestinationState>(['STARTING', 'ACTIVE', 'RECONNECTING']);

export function isLiveComposition(c: CompositionRecord): boolean {
  return LIVE_COMPOSITION_STATES.has(c.state);
}

/**
 * The composition state machine: STARTING → ACTIVE → STOPPING → STOPPED, or FAILED once no destination
 * carries media any more. A destination goes RECONNECTING and, unless it recovers within the reconnect
 * window, FAILED. Compositions stop by themselves when the stage stays empty (idle rules), when the stage is
 * deleted and at the maximum duration; finished ones are purged after a while and then answer 404.
 */
export class CompositionLifecycle {
  /** Channel ARNs marked as already broadcasting by the simulation API. */
  readonly busyChannels = new Set<string>();
  private readonly idleTimers = new Map<string, TimerHandle>();

  constructor(
    private readonly ctx: EmulatorContext,
    private readonly connectedParticipants: (region: RegionState, stageArn: string) => number,
  ) {}

  start(region: RegionState, composition: CompositionRecord): void {
    const { timings } = this.ctx.config;
    this.timer(composition, timings.compositionStartMs, () => this.activate(region, composition));
    this.timer(composition, timings.compositionMaxDurationMs, () => this.stop(region, composition));
    if (this.connectedParticipants(region, composition.stageArn) === 0) {
      this.scheduleIdleStop(region, composition, timings.idleStopWithoutParticipantsMs);
    }
  }

  /** Participants joined or left a stage: arm or disarm the idle rule of its compositions. */
  occupancyChanged(region: RegionState, stageArn: string): void {
    const connected = this.connectedParticipants(region, stageArn);
    for (const composition of region.compositions.values()) {
      if (composition.stageArn !== stageArn || !isLiveComposition(composition)) continue;
      if (connected > 0) this.cancelIdleStop(composition);
      else if (!this.idleTimers.has(composition.arn)) {
        this.scheduleIdleStop(region, composition, this.ctx.config.timings.idleStopAfterLastLeftMs);
      }
    }
  }

  stop(region: RegionState, composition: CompositionRecord): void {
    if (composition.state === 'STOPPING' || composition.state === 'STOPPED' || composition.state === 'FAILED') return;
    this.clearTimers(composition);
    composition.state = 'STOPPING';
    for (const d of composition.destinations) {
      if (d.state !== 'FAILED' && d.state !== 'STOPPED') d.state = 'STOPPING';
      d.reconnectTimer?.cancel();
    }
    this.timer(composition, this.ctx.config.timings.compositionStopMs, () => {
      const now = this.ctx.clock.now();
      for (const d of composition.destinations) {
        if (d.state !== 'STOPPING') continue;
        d.state = 'STOPPED';
        d.endTime = now;
        if (d.recorder) void d.recorder.end();
        this.ctx.events.composition(region, composition, 'Destination End', d);
      }
      composition.state = 'STOPPED';
      composition.endTime = now;
      this.ctx.events.composition(region, composition, 'Session End');
      this.schedulePurge(region, composition);
    });
  }

  /** Simulation: force one destination into a state, as a broken channel or bucket would. */
  forceDestination(
    region: RegionState,
    composition: CompositionRecord,
    destination: DestinationRecord,
    state: 'RECONNECTING' | 'FAILED' | 'ACTIVE',
    reason?: string,
  ): void {
    if (state === 'FAILED')
      return this.failDestination(region, composition, destination, reason ?? 'Destination failed (simulated)');
    if (state === 'RECONNECTING') {
      if (destination.state !== 'ACTIVE')
        throw new Error(
          `destination ${destination.id} is ${destination.state}; only an ACTIVE destination can start reconnecting`,
        );
      destination.state = 'RECONNECTING';
      this.ctx.events.composition(region, composition, 'Destination Reconnecting', destination, reason);
      destination.reconnectTimer = this.ctx.clock.setTimer(this.ctx.config.timings.destinationReconnectWindowMs, () =>
        this.failDestination(
          region,
          composition,
          destination,
          reason ?? 'Destination did not reconnect within the reconnect window',
        ),
      );
      return;
    }
    if (destination.state !== 'RECONNECTING' && destination.state !== 'STARTING') {
      throw new Error(
        `destination ${destination.id} is ${destination.state}; only a RECONNECTING or STARTING destination can become ACTIVE`,
      );
    }
    destination.reconnectTimer?.cancel();
    destination.reconnectTimer = undefined;
    const wasStarting = destination.state === 'STARTING';
    destination.state = 'ACTIVE';
    destination.startTime ??= this.ctx.clock.now();
    if (wasStarting) {
      destination.recorder?.start();
      this.ctx.events.composition(region, composition, 'Destination Start', destination);
    }
  }

  /** Simulation: the whole composition fails (every destination), or reconnects, or recovers. */
  forceComposition(
    region: RegionState,
    composition: CompositionRecord,
    state: 'RECONNECTING' | 'FAILED' | 'ACTIVE',
    reason?: string,
  ): void {
    if (!isLiveComposition(composition) || composition.state === 'STOPPING') {
      throw new Error(`composition is ${composition.state}; it can no longer change state`);
    }
    for (const d of composition.destinations) {
      if (state === 'FAILED' && CARRYING_DESTINATION_STATES.has(d.state))
        this.failDestination(region, composition, d, reason ?? 'Composition failed (simulated)');
      if (state === 'RECONNECTING' && d.state === 'ACTIVE')
        this.forceDestination(region, composition, d, 'RECONNECTING', reason);
      if (state === 'ACTIVE' && d.state === 'RECONNECTING') this.forceDestination(region, composition, d, 'ACTIVE');
    }
  }

  /** Stops idle and purge timers and drops the composition now (reset). */
  dispose(composition: CompositionRecord): void {
    this.clearTimers(composition);
    for (const d of composition.destinations) d.reconnectTimer?.cancel();
  }

  private activate(region: RegionState, composition: CompositionRecord): void {
    if (composition.state !== 'STARTING') return;
    composition.state = 'ACTIVE';
    this.ctx.events.composition(region, composition, 'Session Start');
    for (const destination of composition.destinations) void this.activateDestination(region, composition, destination);
  }

  private async activateDestination(
    region: RegionState,
    composition: CompositionRecord,
    destination: DestinationRecord,
  ): Promise<void> {
    const failure = await this.destinationFailureCause(region, composition, destination);
    if (destination.state !== 'STARTING') return;
    if (failure) return this.failDestination(region, composition, destination, failure);
    const spec = this.compositeSpec(region, composition, destination);
    if (spec && this.ctx.recordings) {
      destination.recorder = this.ctx.recordings.composite(spec, {
        onState: (state, message) => {
          if (state === 'FAILED' && CARRYING_DESTINATION_STATES.has(destination.state)) {
            this.failDestination(region, composition, destination, message ?? 'Recording to S3 failed');
          }
        },
      });
    }
    this.forceDestination(region, composition, destination, 'ACTIVE');
  }

  private async destinationFailureCause(
    region: RegionState,
    composition: CompositionRecord,
    destination: DestinationRecord,
  ): Promise<string | undefined> {
    const channelArn = destination.configuration.channel?.channelArn;
    if (channelArn) {
      if (this.busyChannels.has(channelArn)) return `Channel ${channelArn} is already broadcasting`;
      for (const other of region.compositions.values()) {
        if (other === composition || !isLiveComposition(other)) continue;
        const taken = other.destinations.some(
          (d) =>
            d.configuration.channel?.channelArn === channelArn &&
            CARRYING_DESTINATION_STATES.has(d.state) &&
            d.state !== 'STARTING',
        );
        if (taken) return `Channel ${channelArn} is already broadcasting (composition ${other.arn})`;
      }
    }
    const storageArn = destination.configuration.s3?.storageConfigurationArn;
    if (storageArn) {
      const storage = region.storageConfigurations.get(storageArn);
      if (!storage) return `Storage configuration ${storageArn} no longer exists`;
      if (this.ctx.recordings && !(await this.ctx.recordings.bucketExists(storage.s3.bucketName).catch(() => false))) {
        return `S3 bucket ${storage.s3.bucketName} does not exist or is not accessible`;
      }
    }
    return undefined;
  }

  private compositeSpec(
    region: RegionState,
    composition: CompositionRecord,
    destination: DestinationRecord,
  ): CompositeRecordingSpec | undefined {
    const s3 = destination.configuration.s3;
    if (!s3 || !destination.recordingPrefix) return undefined;
    const storage = region.storageConfigurations.get(s3.storageConfigurationArn!);
    const encoder = region.encoderConfigurations.get(s3.encoderConfigurationArns?.[0] ?? '');
    if (!storage) return undefined;
    return {
      bucket: storage.s3.bucketName,
      prefix: destination.recordingPrefix,
      stageArn: composition.stageArn,
      segmentDurationSeconds: s3.recordingConfiguration?.hlsConfiguration?.targetSegmentDurationSeconds ?? 2,
      video: encoder?.video ?? { width: 1280, height: 720, framerate: 30, bitrate: 2_500_000 },
      thumbnails: (s3.thumbnailConfigurations ?? []).map((t) => ({
        targetIntervalSeconds: t.targetIntervalSeconds ?? 60,
        storage: t.storage ?? ['SEQUENTIAL'],
      })),
    };
  }

  private failDestination(
    region: RegionState,
    composition: CompositionRecord,
    destination: DestinationRecord,
    reason: string,
  ): void {
    if (!CARRYING_DESTINATION_STATES.has(destination.state)) return;
    destination.reconnectTimer?.cancel();
    destination.reconnectTimer = undefined;
    destination.state = 'FAILED';
    destination.endTime = this.ctx.clock.now();
    destination.failureReason = reason;
    if (destination.recorder) void destination.recorder.fail(reason);
    this.ctx.events.composition(region, composition, 'Destination Failure', destination, reason);
    const carrying = composition.destinations.some((d) => CARRYING_DESTINATION_STATES.has(d.state));
    if (!carrying && (composition.state === 'ACTIVE' || composition.state === 'STARTING')) {
      this.clearTimers(composition);
      composition.state = 'FAILED';
      composition.endTime = this.ctx.clock.now();
      this.ctx.events.composition(region, composition, 'Session Failure', undefined, reason);
      this.schedulePurge(region, composition);
    }
  }

  private scheduleIdleStop(region: RegionState, composition: CompositionRecord, afterMs: number): void {
    this.cancelIdleStop(composition);
    const handle = this.ctx.clock.setTimer(afterMs, () => {
      this.idleTimers.delete(composition.arn);
      if (this.connectedParticipants(region, composition.stageArn) === 0) this.stop(region, composition);
    });
    this.idleTimers.set(composition.arn, handle);
  }

  private cancelIdleStop(composition: CompositionRecord): void {
    this.idleTimers.get(composition.arn)?.cancel();
    this.idleTimers.delete(composition.arn);
  }

  private schedulePurge(region: RegionState, composition: CompositionRecord): void {
    this.timer(composition, this.ctx.config.timings.compositionPurgeMs, () => {
      this.clearTimers(composition);
      region.compositions.delete(composition.arn);
    });
  }

  private timer(composition: CompositionRecord, afterMs: number, fn: () => void): void {
    const handle = this.ctx.clock.setTimer(afterMs, () => {
      composition.timers.delete(handle);
      fn();
    });
    composition.timers.add(handle);
  }

  private clearTimers(composition: CompositionRecord): void {
    for (const t of composition.timers) t.cancel();
    composition.timers.clear();
    this.cancelIdleStop(composition);
  }
}

/** `<stageId>/<compositionId>/<destinationId>/composite`, the shape of the documented example prefix. */
export function compositeRecordingPrefix(stageId: string, compositionId: string, destinationId: string): string {
  return `${stageId}/${compositionId}/${destinationId}/composite`;
}
