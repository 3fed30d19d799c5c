import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { Clock } from '../clock';
import { validateDeliveryOptions } from './delivery-plan';
import { openSseStream, type SseStream } from './sse-stream';
import { SubscriberChannel, type DeliveryCounters } from './subscriber-channel';
import type { DeliveryOptions, EventSink, IvsDetailType, IvsEvent, WebhookSubscription } from './types';
import { DEFAULT_WEBHOOK_RETRY, webhookSender, type WebhookRetryPolicy } from './webhook-sender';

export interface EventBusOptions {
  clock: Clock;
  fetchImpl?: typeof fetch;
  log?: (msg: string) => void;
  /** Source for drop and jitter decisions, values in [0, 1); inject a sequence for deterministic tests. */
  random?: () => number;
  /** How many recent events `recent()` keeps. Default 1,000. */
  historyLimit?: number;
  retry?: WebhookRetryPolicy;
  /** Real ms per webhook request. Default 5,000. */
  webhookTimeoutMs?: number;
  /** Real ms between SSE `: ping` comments. Default 15,000. */
  sseHeartbeatMs?: number;
  /** Per-subscriber backlog limit. Default 10,000. */
  maxQueuedPerSubscriber?: number;
}

export type SseOptions = DeliveryOptions & { detailTypes?: IvsDetailType[] };

export interface EventBusStats extends DeliveryCounters {
  /** Accepted by a subscriber but not yet handed over (delayed, queued or in flight). */
  pending: number;
  webhooks: number;
  sseClients: number;
}

interface WebhookEntry {
  subscription: WebhookSubscription;
  channel: SubscriberChannel;
}

interface SseEntry {
  stream: SseStream;
  channel: SubscriberChannel;
}

/**
 * The emulator's stand-in for EventBridge: every published event fans out to webhook subscriptions and SSE
 * clients, each with its own best-effort behaviour (drop, delay, jitter), so consumers can be tested against the
 * missing, late and out-of-order events real IVS documents.
 */
export class EventBus implements EventSink {
  private readonly clock: Clock;
  private readonly fetchImpl: typeof fetch;
  private readonly log: (msg: string) => void;
  private readonly random: () => number;
  private readonly historyLimit: number;
  private readonly retry: WebhookRetryPolicy;
  private readonly webhookTimeoutMs: number;
  private readonly sseHeartbeatMs: number;
  private readonly maxQueued: number;
  private readonly counters: DeliveryCounters = { delivered: 0, dropped: 0, failed: 0 };
  private readonly webhooks = new Map<string, WebhookEntry>();
  private readonly sseClients = new Set<SseEntry>();
  private readonly history: IvsEvent[] = [];
  private closed = false;

  constructor(options: EventBusOptions) {
    this.clock = options.clock;
    this.fetchImpl = options.fetchImpl ?? fetch;
    this.log = options.log ?? (() => undefined);
    this.random = options.random ?? Math.random;
    this.historyLimit = options.historyLimit ?? 1_000;
    this.retry = options.retry ?? DEFAULT_WEBHOOK_RETRY;
    this.webhookTimeoutMs = options.webhookTimeoutMs ?? 5_000;
    this.sseHeartbeatMs = options.sseHeartbeatMs ?? 15_000;
    this.maxQueued = options.maxQueuedPerSubscriber ?? 10_000;
  }

  subscribeWebhook(sub: Omit<WebhookSubscription, 'id'>): WebhookSubscription {
    if (this.closed) throw new Error('event bus is closed');
    const url = new URL(sub.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new RangeError(`webhook url must be http(s), got ${sub.url}`);
    }
    validateDeliveryOptions(sub);
    const subscription: WebhookSubscription = { ...sub, id: randomUUID() };
    if (sub.detailTypes) subscription.detailTypes = [...sub.detailTypes];
    const send = webhookSender({
      url: sub.url,
      fetchImpl: this.fetchImpl,
      clock: this.clock,
      retry: this.retry,
      timeoutMs: this.webhookTimeoutMs,
      log: this.log,
    });
    this.webhooks.set(subscription.id, { subscription, channel: this.channel(sub, sub.detailTypes, send) });
    return { ...subscription };
  }

  unsubscribe(id: string): boolean {
    const entry = this.webhooks.get(id);
    if (!entry) return false;
    entry.channel.close();
    this.webhooks.delete(id);
    return true;
  }

  listSubscriptions(): WebhookSubscription[] {
    return [...this.webhooks.values()].map(({ subscription }) => ({ ...subscription }));
  }

  publish(event: IvsEvent): void {
    if (this.closed) return;
    this.history.push(event);
    if (this.history.length > this.historyLimit) this.history.splice(0, this.history.length - this.historyLimit);
    for (const { channel } of this.webhooks.values()) channel.offer(event);
    for (const { channel } of this.sseClients) channel.offer(event);
  }

  /** Streams events to one client until it disconnects or the bus closes. */
  handleSse(req: http.IncomingMessage, res: http.ServerResponse, options: SseOptions = {}): void {
    if (this.closed) {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('event bus is closed');
      return;
    }
    validateDeliveryOptions(options);
    const detailTypes = options.detailTypes ? [...options.detailTypes] : undefined;
    // The entry is filled in before any event can reach it: openSseStream only calls back on close.
    const entry = {} as SseEntry;
    entry.stream = openSseStream(req, res, this.sseHeartbeatMs, () => {
      entry.channel.close();
      this.sseClients.delete(entry);
    });
    entry.channel = this.channel(options, detailTypes, async (event) => entry.stream.write(event));
    this.sseClients.add(entry);
  }

  /**
   * For reset: forgets the recent events and what SSE clients were still waiting to receive (delayed or queued), so
   * nothing from before the reset shows up after it. The SSE connections themselves stay open.
   */
  forgetHistory(): void {
    this.history.length = 0;
    for (const { channel } of this.sseClients) channel.discardPending();
  }

  /** Newest last. */
  recent(): IvsEvent[] {
    return [...this.history];
  }

  stats(): EventBusStats {
    let pending = 0;
    for (const { channel } of this.webhooks.values()) pending += channel.pending;
    for (const { channel } of this.sseClients) pending += channel.pending;
    return { ...this.counters, pending, webhooks: this.webhooks.size, sseClients: this.sseClients.size };
  }

  /** Ends SSE streams and abandons every pending or in-flight delivery. Idempotent. */
  close(): void {
    this.closed = true;
    for (const { channel } of this.webhooks.values()) channel.close();
    for (const entry of [...this.sseClients]) {
      entry.channel.close();
      entry.stream.end();
    }
    this.sseClients.clear();
  }

  private channel(
    delivery: DeliveryOptions,
    detailTypes: readonly IvsDetailType[] | undefined,
    send: ConstructorParameters<typeof SubscriberChannel>[0]['send'],
  ): SubscriberChannel {
    return new SubscriberChannel({
      clock: this.clock,
      random: this.random,
      delivery: { delayMs: delivery.delayMs, jitterMs: delivery.jitterMs, dropProbability: delivery.dropProbability },
      detailTypes,
      send,
      counters: this.counters,
      maxQueued: this.maxQueued,
      log: this.log,
    });
  }
}
