/**
 * The emulator's clock. Everything time-based in the emulator (composition idle rules, purges, recording
 * segments, token expiry) reads this clock, so a scale of 60 runs an emulated minute in a real second and
 * tests of hour-long behaviour finish quickly.
 */
export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Emulated wall-clock time, epoch milliseconds. */
  now(): number;
  /** Emulated milliseconds per real millisecond. */
  readonly scale: number;
  /** Runs `fn` after `emulatedMs` of emulated time. Timers never keep the process alive. */
  setTimer(emulatedMs: number, fn: () => void): TimerHandle;
  /** Resolves after `emulatedMs` of emulated time. */
  sleep(emulatedMs: number): Promise<void>;
}

export class ScaledClock implements Clock {
  private readonly realStart = Date.now();
  private readonly emulatedStart: number;

  constructor(
    readonly scale = 1,
    emulatedStart = Date.now(),
  ) {
    if (!(scale > 0) || !Number.isFinite(scale))
      throw new RangeError(`clock scale must be a positive number, got ${scale}`);
    this.emulatedStart = emulatedStart;
  }

  now(): number {
    return this.emulatedStart + (Date.now() - this.realStart) * this.scale;
  }

  setTimer(emulatedMs: number, fn: () => void): TimerHandle {
    const timer = setTimeout(fn, Math.max(0, emulatedMs / this.scale));
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  }

  sleep(emulatedMs: number): Promise<void> {
    return new Promise((resolve) => this.setTimer(emulatedMs, resolve));
  }
}
