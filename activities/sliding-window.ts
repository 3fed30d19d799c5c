/**
 * At most `capacity` calls in any `windowMs`: each call reserves the next free slot, first come first served — after
 * the previous reservation, and once the call `capacity` back has left the window. With a capacity of one it spaces
 * calls evenly. The pacing rule of the IVS rate budget (ivs-rate-budget.ts) and of the composition monitor's share of
 * ListCompositions (composition-activities.ts).
 */
export class SlidingWindow {
  /** The times of the last `capacity` reserved slots, oldest first. */
  private readonly slots: number[] = [];

  constructor(
    readonly capacity: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!(Number.isInteger(capacity) && capacity >= 1)) throw new RangeError('capacity must be a whole number ≥ 1');
  }

  /** Reserves the next slot; the wait until it, in milliseconds (0: go now). */
  reserve(): number {
    const now = this.now();
    const { slots, capacity } = this;
    const slot = Math.max(
      now,
      slots.at(-1) ?? now,
      slots.length >= capacity ? slots[slots.length - capacity]! + this.windowMs : now,
    );
    slots.push(slot);
    if (slots.length > capacity) slots.shift();
    return slot - now;
  }
}
