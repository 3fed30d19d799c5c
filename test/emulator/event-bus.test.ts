import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { ScaledClock } from '../../emulator/src/clock';
import { compositionStateChangeEvent } from '../../emulator/src/events/composition-state-change';
import { EventBus, type EventBusOptions } from '../../emulator/src/events/event-bus';
import { participantRecordingStateChangeEvent } from '../../emulator/src/events/participant-recording-state-change';
import { stageUpdateEvent } from '../../emulator/src/events/stage-update';
import type { IvsEvent } from '../../emulator/src/events/types';

const STAGE_ARN = 'arn:aws:ivs:us-east-1:123456789012:stage/AbCdEfGhIjKl';
const COMPOSITION_ARN = 'arn:aws:ivs:us-east-1:123456789012:composition/MnOpQrStUvWx';
const context = { account: '123456789012', region: 'us-east-1', time: Date.UTC(2024, 0, 1, 12, 0, 0, 789) };

function published(n: number): IvsEvent {
  return stageUpdateEvent(context, {
    eventName: 'Participant Published',
    stageArn: STAGE_ARN,
    sessionId: 'st-0123456789abc',
    participantId: `p${n}`,
    userId: `user-${n}`,
  });
}

interface Received {
  path: string;
  method: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on a real socket; `statuses[path]` scripts the responses, 200 once it runs out. */
class Receiver {
  readonly received: Received[] = [];
  readonly statuses = new Map<string, number[]>();
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      this.received.push({
        path,
        method: req.method ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      res.writeHead(this.statuses.get(path)?.shift() ?? 200).end();
    });
  });

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  on(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  events(path: string): IvsEvent[] {
    return this.on(path).map((r) => JSON.parse(r.body) as IvsEvent);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

async function until(condition: () => boolean, what: string, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function newBus(options: Partial<EventBusOptions> = {}): EventBus {
  // Scale 1000: one emulated second per real millisecond, so retry backoff and delays stay in the ms range.
  return new EventBus({ clock: new ScaledClock(1000), ...options });
}

void describe('event builders', () => {
  void test('envelope is EventBridge-shaped with second-precision time', () => {
    const event = published(1);
    assert.equal(event.version, '0');
    assert.equal(event.source, 'aws.ivs');
    assert.equal(event.account, '123456789012');
    assert.equal(event.region, 'us-east-1');
    assert.equal(event.time, '2024-01-01T12:00:00Z');
    assert.match(event.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.notEqual(published(1).id, event.id);
  });

  void test('stage update carries participant fields and error_code only on publish errors', () => {
    const ok = published(7);
    assert.equal(ok['detail-type'], 'IVS Stage Update');
    assert.deepEqual(ok.resources, [STAGE_ARN]);
    assert.deepEqual(ok.detail, {
      session_id: 'st-0123456789abc',
      event_name: 'Participant Published',
      event_time: '2024-01-01T12:00:00Z',
      user_id: 'user-7',
      participant_id: 'p7',
    });
    const error = stageUpdateEvent(context, {
      eventName: 'Participant Publish Error',
      stageArn: STAGE_ARN,
      sessionId: 'st-0123456789abc',
      participantId: 'p7',
      userId: '',
      errorCode: 'INSUFFICIENT_CAPABILITIES',
    });
    assert.equal(error.detail.error_code, 'INSUFFICIENT_CAPABILITIES');
  });

  void test('composition events put the composition in resources and the stage in the detail', () => {
    const start = compositionStateChangeEvent(context, {
      eventName: 'Session Start',
      compositionArn: COMPOSITION_ARN,
      stageArn: STAGE_ARN,
    });
    assert.equal(start['detail-type'], 'IVS Composition State Change');
    assert.deepEqual(start.resources, [COMPOSITION_ARN]);
    assert.deepEqual(start.detail, { session_id: 'MnOpQrStUvWx', event_name: 'Session Start', stage_arn: STAGE_ARN });
    const failure = compositionStateChangeEvent(context, {
      eventName: 'Destination Failure',
      compositionArn: COMPOSITION_ARN,
      stageArn: STAGE_ARN,
      destinationId: 'dest-1',
      reason: 'stream key in use',
    });
    assert.deepEqual(failure.detail, {
      session_id: 'MnOpQrStUvWx',
      event_name: 'Destination Failure',
      stage_arn: STAGE_ARN,
      id: 'dest-1',
      reason: 'stream key in use',
    });
  });

  void test('participant recording events carry the S3 location and a reason on failure', () => {
    const base = {
      stageArn: STAGE_ARN,
      sessionId: 'st-0123456789abc',
      participantId: 'p1',
      bucket: 'recordings',
      keyPrefix: 'AbCdEfGhIjKl/st-0123456789abc/p1/2024-01-01T12-00-00Z',
    };
    const start = participantRecordingStateChangeEvent(context, { ...base, eventName: 'Recording Start' });
    assert.equal(start['detail-type'], 'IVS Participant Recording State Change');
    assert.deepEqual(start.resources, [STAGE_ARN]);
    assert.deepEqual(start.detail, {
      session_id: 'st-0123456789abc',
      event_name: 'Recording Start',
      participant_id: 'p1',
      recording_s3_bucket_name: 'recordings',
      recording_s3_key_prefix: base.keyPrefix,
    });
    const failed = participantRecordingStateChangeEvent(context, {
      ...base,
      eventName: 'Recording Start Failure',
      reason: 'bucket not found',
    });
    assert.equal(failed.detail.recording_failure_reason, 'bucket not found');
  });
});

void describe('EventBus webhooks', () => {
  const receiver = new Receiver();
  before(() => receiver.start());
  after(() => receiver.stop());

  void test('POSTs the event itself as JSON', async () => {
    const bus = newBus();
    const sub = bus.subscribeWebhook({ url: receiver.url('/basic') });
    assert.deepEqual(bus.listSubscriptions(), [sub]);
    const event = published(1);
    bus.publish(event);
    assert.equal(receiver.on('/basic').length, 0, 'publish must not deliver on its own stack');
    await until(() => receiver.on('/basic').length === 1, 'delivery');
    const [request] = receiver.on('/basic');
    assert.equal(request?.method, 'POST');
    assert.equal(request?.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(request?.body ?? ''), event);
    await until(() => bus.stats().delivered === 1, 'delivered counter');
    assert.deepEqual(bus.recent(), [event]);
    bus.close();
  });

  void test('filters by detail-type', async () => {
    const bus = newBus();
    bus.subscribeWebhook({ url: receiver.url('/filtered'), detailTypes: ['IVS Stage Update'] });
    const composition = compositionStateChangeEvent(context, {
      eventName: 'Session End',
      compositionArn: COMPOSITION_ARN,
      stageArn: STAGE_ARN,
    });
    const stage = published(2);
    bus.publish(composition);
    bus.publish(stage);
    // Deliveries are serial per subscriber, so the composition event would have arrived first if it were sent.
    await until(() => receiver.on('/filtered').length >= 1, 'delivery');
    assert.deepEqual(receiver.events('/filtered'), [stage]);
    assert.equal(bus.recent().length, 2);
    bus.close();
  });

  void test('dropProbability 1 drops every event and 0 drops none', async () => {
    const bus = newBus();
    bus.subscribeWebhook({ url: receiver.url('/drop-all'), dropProbability: 1 });
    bus.subscribeWebhook({ url: receiver.url('/drop-none'), dropProbability: 0 });
    for (let i = 0; i < 20; i++) bus.publish(published(i));
    assert.equal(bus.stats().dropped, 20);
    await until(() => receiver.on('/drop-none').length === 20, 'all undropped deliveries');
    assert.equal(receiver.on('/drop-all').length, 0);
    bus.close();
  });

  void test('delay follows the scaled clock', async () => {
    const bus = newBus();
    bus.subscribeWebhook({ url: receiver.url('/delayed'), delayMs: 100_000 }); // 100 emulated s = 100 real ms
    const start = Date.now();
    bus.publish(published(1));
    await pause(30);
    assert.equal(receiver.on('/delayed').length, 0, 'delivered before the delay elapsed');
    assert.equal(bus.stats().pending, 1);
    await until(() => receiver.on('/delayed').length === 1, 'delayed delivery');
    assert.ok(Date.now() - start >= 95, `delivered after ${Date.now() - start} ms`);
    bus.close();
  });

  void test('without jitter order is preserved; jitter reorders by its random draw', async () => {
    const ordered = newBus();
    ordered.subscribeWebhook({ url: receiver.url('/ordered'), delayMs: 5_000 });
    const sent = Array.from({ length: 30 }, (_, i) => published(i));
    for (const event of sent) ordered.publish(event);
    await until(() => receiver.on('/ordered').length === 30, 'ordered deliveries');
    assert.deepEqual(
      receiver.events('/ordered').map((e) => e.id),
      sent.map((e) => e.id),
    );
    ordered.close();

    // Draws 0.9, 0.7, 0.5, 0.3, 0.1 give jitters of 45..5 ms real, so arrival is the reverse of publication.
    const draws = [0.9, 0.7, 0.5, 0.3, 0.1];
    const jittered = newBus({ random: () => draws.shift() ?? 0 });
    jittered.subscribeWebhook({ url: receiver.url('/jittered'), jitterMs: 50_000 });
    const batch = Array.from({ length: 5 }, (_, i) => published(i));
    for (const event of batch) jittered.publish(event);
    await until(() => receiver.on('/jittered').length === 5, 'jittered deliveries');
    assert.deepEqual(
      receiver.events('/jittered').map((e) => e.id),
      batch.map((e) => e.id).reverse(),
    );
    jittered.close();
  });

  void test('retries a 5xx and then succeeds', async () => {
    const bus = newBus();
    receiver.statuses.set('/flaky', [500, 503]);
    bus.subscribeWebhook({ url: receiver.url('/flaky') });
    const event = published(1);
    bus.publish(event);
    await until(() => bus.stats().delivered === 1, 'eventual delivery');
    const attempts = receiver.events('/flaky');
    assert.equal(attempts.length, 3);
    for (const attempt of attempts) assert.deepEqual(attempt, event);
    assert.equal(bus.stats().failed, 0);
    bus.close();
  });

  void test('gives up after bounded retries, does not retry a 4xx, survives a dead endpoint', async () => {
    const logs: string[] = [];
    const bus = newBus({ retry: { maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 4_000 }, log: (m) => logs.push(m) });
    receiver.statuses.set('/down', [500, 500, 500, 500]);
    receiver.statuses.set('/rejects', [400]);
    bus.subscribeWebhook({ url: receiver.url('/down') });
    bus.subscribeWebhook({ url: receiver.url('/rejects') });
    bus.subscribeWebhook({ url: 'http://127.0.0.1:1/unreachable' });
    bus.publish(published(1));
    await until(() => bus.stats().failed === 3, 'three failures');
    assert.equal(receiver.on('/down').length, 3);
    assert.equal(receiver.on('/rejects').length, 1);
    assert.equal(bus.stats().delivered, 0);
    assert.equal(logs.length, 3);
    bus.close();
  });

  void test('close and unsubscribe cancel pending deliveries', async () => {
    const bus = newBus();
    const sub = bus.subscribeWebhook({ url: receiver.url('/cancelled'), delayMs: 40_000 });
    bus.subscribeWebhook({ url: receiver.url('/closed'), delayMs: 40_000 });
    bus.publish(published(1));
    assert.equal(bus.unsubscribe(sub.id), true);
    assert.equal(bus.unsubscribe(sub.id), false);
    bus.close();
    assert.equal(bus.stats().pending, 0);
    await pause(70);
    assert.equal(receiver.on('/cancelled').length + receiver.on('/closed').length, 0);
    bus.publish(published(2));
    assert.equal(bus.recent().length, 1, 'a closed bus ignores publishes');
  });

  void test('rejects invalid subscriptions', () => {
    const bus = newBus();
    assert.throws(() => bus.subscribeWebhook({ url: 'ftp://example.com/' }), RangeError);
    assert.throws(() => bus.subscribeWebhook({ url: receiver.url('/x'), dropProbability: 2 }), RangeError);
    assert.throws(() => bus.subscribeWebhook({ url: receiver.url('/x'), delayMs: -1 }), RangeError);
    bus.close();
  });

  void test('history is bounded', () => {
    const bus = newBus({ historyLimit: 3 });
    const events = Array.from({ length: 5 }, (_, i) => published(i));
    for (const event of events) bus.publish(event);
    assert.deepEqual(bus.recent(), events.slice(2));
    bus.close();
  });
});

void describe('EventBus SSE', () => {
  let bus: EventBus;
  let server: http.Server;
  let base = '';

  before(async () => {
    bus = newBus();
    server = http.createServer((req, res) => {
      const detailTypes = req.url?.includes('stage-only') ? (['IVS Stage Update'] as const) : undefined;
      bus.handleSse(req, res, detailTypes ? { detailTypes: [...detailTypes] } : {});
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    bus.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  /** Opens a stream and collects its raw text; resolves once the opening comment has arrived. */
  async function connect(
    path: string,
  ): Promise<{ res: http.IncomingMessage; text: () => string; ended: Promise<void> }> {
    let text = '';
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      http.get(`${base}${path}`, resolve).on('error', reject);
    });
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => (text += chunk));
    const ended = new Promise<void>((resolve) => res.on('close', resolve));
    await until(() => text.includes(': connected'), 'stream open');
    return { res, text: () => text, ended };
  }

  function frames(text: string): string[] {
    return text.split('\n\n').filter((frame) => frame.startsWith('id: '));
  }

  void test('streams events in order with id, event and data lines', async () => {
    const client = await connect('/events');
    assert.equal(client.res.headers['content-type'], 'text/event-stream');
    assert.equal(client.res.headers['cache-control'], 'no-cache');
    const first = published(1);
    const second = compositionStateChangeEvent(context, {
      eventName: 'Session Start',
      compositionArn: COMPOSITION_ARN,
      stageArn: STAGE_ARN,
    });
    bus.publish(first);
    bus.publish(second);
    await until(() => frames(client.text()).length === 2, 'two frames');
    assert.deepEqual(frames(client.text()), [
      `id: ${first.id}\nevent: IVS Stage Update\ndata: ${JSON.stringify(first)}`,
      `id: ${second.id}\nevent: IVS Composition State Change\ndata: ${JSON.stringify(second)}`,
    ]);
    client.res.destroy();
    await until(() => bus.stats().sseClients === 0, 'client cleanup');
  });

  void test('applies a detail-type filter and ends streams on close', async () => {
    const client = await connect('/events?stage-only');
    bus.publish(
      compositionStateChangeEvent(context, {
        eventName: 'Session End',
        compositionArn: COMPOSITION_ARN,
        stageArn: STAGE_ARN,
      }),
    );
    const stage = published(3);
    bus.publish(stage);
    await until(() => frames(client.text()).length >= 1, 'a frame');
    assert.equal(frames(client.text()).length, 1);
    assert.ok(frames(client.text())[0]?.startsWith(`id: ${stage.id}\n`));
    bus.close();
    await client.ended;
    assert.equal(bus.stats().sseClients, 0);
  });
});

void test('SSE sends a heartbeat comment', async () => {
  const bus = newBus({ sseHeartbeatMs: 10 });
  const server = http.createServer((req, res) => bus.handleSse(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  let text = '';
  const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
    http.get(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, resolve).on('error', reject);
  });
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => (text += chunk));
  await until(() => text.includes(': ping\n\n'), 'heartbeat');
  bus.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
