/** Ends a call that held a slot; calling it again does nothing. */
export type ReleaseSlot = () => void;

interface Slot {
  /** When the call's answer came back; undefined while it is in flight. */
  endedAt: number | undefined;
  ended: Promise<void>;
}

/**
 * At most `capacity` calls in any `windowMs`, as the server counts them: each call takes the next slot, first come
 * first served, and goes once the previous call has gone and the call `capacity` back has been answered `windowMs`
 * ago. With a capacity of one it spaces calls evenly. The pacing rule of the IVS rate budget (ivs-rate-budget.ts) and
 * of the composition monitor's share of ListCompositions (composition-activities.ts).
 *
 * Why from the answer and not from the send: IVS documents its rates per operation (the quotas page: transactions
 * per second) but not the moment within a request at which a call counts. Our reading, the safest for a client:
 * the server counts a call when it arrives, which is anywhere between our send and its answer, so only the answer
 * bounds it. Counting from the send let five calls that reached the server late and five sent a second
 * after the first ones land inside one second of the server's clock; the emulator's bucket throttled one (a CI run
 * of ivs-rate-budget.test.ts). From the answer, call k+capacity goes out after call k arrived whatever the network
 * did, so no window of the server's holds more than `capacity`. The cost is one round trip, and only when the
 * window is full. Every IVS call has a request timeout (aws-clients.ts), so a slot in flight is always released.
 */
export class SlidingWindow {
  /** The last `capacity` slots taken, oldest first. */
  private readonly slots: Slot[] = [];
  /** Resolves when the last slot taken may go: slots go in the order they were taken. */
  private tail: Promise<void> = Promise.resolve();

  constructor(
    readonly capacity: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    if (!(Number.isInteger(capacity) && capacity >= 1)) throw new RangeError('capacity must be a whole number ≥ 1');
  }

  /** Waits for the next slot; the call goes when this resolves and must release the slot when it is answered. */
  async acquire(): Promise<ReleaseSlot> {
    const { slots, capacity } = this;
    const back = slots.length >= capacity ? slots[slots.length - capacity] : undefined;
    let resolveEnded!: () => void;
    const slot: Slot = { endedAt: undefined, ended: new Promise<void>((resolve) => (resolveEnded = resolve)) };
    const release: ReleaseSlot = () => {
      if (slot.endedAt !== undefined) return;
      slot.endedAt = this.now();
      resolveEnded();
    };
    slots.push(slot);
    if (slots.length > capacity) slots.shift();
    const previous = this.tail;
    const go = (async () => {
      await previous;
      if (!back) return;
      await back.ended;
      const wait = back.endedAt! + this.windowMs - this.now();
      if (wait > 0) await this.sleep(wait);
    })();
    this.tail = go;
    await go;
    return release;
  }

  /** Runs `call` in the next slot and releases it when the call settles. */
  async run<T>(call: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await call();
    } finally {
      release();
    }
  }
}
