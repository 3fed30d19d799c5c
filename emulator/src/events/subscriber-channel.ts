import type { Clock, TimerHandle } from '../clock';
import { planDelivery } from './delivery-plan';
import type { DeliveryOptions, IvsDetailType, IvsEvent } from './types';

export interface DeliveryCounters {
  delivered: number;
  dropped: number;
  failed: number;
}

/** `cancelled` means the subscriber went away mid-delivery; it counts as neither delivered nor failed. */
export type SendOutcome = 'delivered' | 'failed' | 'cancelled';

export interface SubscriberChannelOptions {
  clock: Clock;
  random: () => number;
  delivery: DeliveryOptions;
  detailTypes?: readonly IvsDetailType[];
  /** Must not reject; the channel treats a rejection as a failure anyway. */
  send: (event: IvsEvent, signal: AbortSignal) => Promise<SendOutcome>;
  counters: DeliveryCounters;
  /** Events waiting behind a slow receiver beyond this are dropped, so one dead webhook cannot exhaust memory. */
  maxQueued: number;
  log: (msg: string) => void;
}

/**
 * One subscriber's pipeline: delay timers feed a FIFO that is drained one event at a time. Serial draining is what
 * keeps delivery order equal to publish order when no jitter is configured, even when a send is retried; jitter
 * reorders only because it changes when an event joins the FIFO.
 */
export class SubscriberChannel {
  private readonly timers = new Map<symbol, TimerHandle>();
  private readonly queue: IvsEvent[] = [];
  private readonly abort = new AbortController();
  private draining = false;
  private inFlight = 0;
  private closed = false;

  constructor(private readonly options: SubscriberChannelOptions) {}

  offer(event: IvsEvent): void {
    if (this.closed) return;
    const { detailTypes } = this.options;
    if (detailTypes && !detailTypes.includes(event['detail-type'])) return;
    const plan = planDelivery(this.options.delivery, this.options.random);
    if (plan.drop) {
      this.options.counters.dropped++;
      return;
    }
    if (plan.delayMs <= 0) {
      this.enqueue(event);
      return;
    }
    const key = Symbol();
    let fired = false;
    const handle = this.options.clock.setTimer(plan.delayMs, () => {
      fired = true;
      this.timers.delete(key);
      this.enqueue(event);
    });
    // A clock may fire a zero-length timer synchronously; only remember timers that are still pending.
    if (!fired) this.timers.set(key, handle);
  }

  /** Events accepted but not yet settled (delayed, queued or being sent). */
  get pending(): number {
    return this.timers.size + this.queue.length + this.inFlight;
  }

  close(): void {
    this.closed = true;
    this.discardPending();
    this.abort.abort();
  }

  /** Drops delayed and queued events but stays open for new ones; an event already being sent still goes out. */
  discardPending(): void {
    for (const handle of this.timers.values()) handle.cancel();
    this.timers.clear();
    this.queue.length = 0;
  }

  private enqueue(event: IvsEvent): void {
    if (this.closed) return;
    if (this.queue.length >= this.options.maxQueued) {
      this.options.counters.dropped++;
      this.options.log(`event ${event.id} dropped: subscriber queue full (${this.options.maxQueued})`);
      return;
    }
    this.queue.push(event);
    if (this.draining) return;
    this.draining = true;
    // Start on a later tick so publish() never runs receiver I/O on its own stack.
    Promise.resolve()
      .then(() => this.drain())
      .catch((err: unknown) => this.options.log(`subscriber drain crashed: ${String(err)}`));
  }

  private async drain(): Promise<void> {
    try {
      for (let event = this.queue.shift(); event && !this.closed; event = this.queue.shift()) {
        this.inFlight++;
        const outcome = await this.options
          .send(event, this.abort.signal)
          .catch((): SendOutcome => (this.closed ? 'cancelled' : 'failed'));
        this.inFlight--;
        if (outcome !== 'cancelled') this.options.counters[outcome]++;
      }
    } finally {
      this.draining = false;
    }
  }
}
