import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { CreateStageCommand } from '@aws-sdk/client-ivs-realtime';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { startEventsEndpoint, type EventsEndpoint, type EventsLogEntry } from '../../events/events-endpoint';
import type { ShowSpecInput } from '../../show-spec/show-spec';
import type { showWorkflow } from '../../workflows';
import { endUpdate, participantTokensQuery, statusQuery } from '../../contracts/show-messages';
import type { ShowStatus } from '../../contracts/show-status';
import { startShowHarness, type ShowHarness } from '../support/show-harness';
import { sleep, waitFor } from '../support/wait-for';
import { freshChannelArn } from '../../dev/aws/local-aws';

type ShowHandle = WorkflowHandle<typeof showWorkflow>;

const TOKEN = 'test-events-token-0123456789';
/** Far longer than any wait below: whatever happens sooner was caused by an event, not by polling. */
const SLOW_POLL = '60s';

/** An EventBridge-shaped IVS event, as the emulator (and IVS) would send it. */
function ivsEvent(detailType: string, resources: string[], detail: Record<string, unknown>, id: string = randomUUID()) {
  return {
    version: '0',
    id,
    'detail-type': detailType,
    source: 'aws.ivs',
    account: '123456789012',
    time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: 'us-east-1',
    resources,
    detail,
  };
}

const stageUpdate = (stageArn: string, eventName = 'Participant Published', id?: string) =>
  ivsEvent(
    'IVS Stage Update',
    [stageArn],
    { session_id: 'st-test', event_name: eventName, user_id: 'u', participant_id: 'p' },
    id,
  );

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** How many ivsEvent signals the show has received: the one observable effect of the endpoint on a show. */
async function ivsSignals(handle: ShowHandle): Promise<number> {
  const { events } = await handle.fetchHistory();
  return (events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'ivsEvent').length;
}

void describe('events endpoint: IVS EventBridge events wake shows up', () => {
  let h: ShowHarness;
  let open: EventsEndpoint;
  let guarded: EventsEndpoint;
  let subscriptionId: string;
  const logs: EventsLogEntry[] = [];

  before(async () => {
    h = await startShowHarness({
      clockScale: 1,
      timings: { compositionStartMs: 500, compositionStopMs: 500, destinationReconnectWindowMs: 60_000 },
    });
    // Token-less: the emulator's webhooks carry no credentials, which the endpoint allows on loopback only.
    open = await startEventsEndpoint({
      port: 0,
      host: '127.0.0.1',
      ivs: () => h.fixture.ivs,
      client: h.client,
      log: (e) => logs.push(e),
    });
    guarded = await startEventsEndpoint({
      port: 0,
      host: '127.0.0.1',
      token: TOKEN,
      ivs: () => h.fixture.ivs,
      client: h.client,
    });
    subscriptionId = (await h.fixture.control.subscribe({ url: `${open.url}/events` })).id;
  });
  after(async () => {
    await open?.stop();
    await guarded?.stop();
    await h?.stop();
  });

  async function waitForStatus(handle: ShowHandle, what: string, ok: (s: ShowStatus) => boolean, timeoutMs = 30_000) {
    let last: ShowStatus | undefined;
    try {
      return await waitFor(
        async () => {
          last = await handle.query(statusQuery);
          return ok(last) ? last : undefined;
        },
        timeoutMs,
        { intervalMs: 100, description: what },
      );
    } catch (e) {
      throw new Error(`${(e as Error).message}; last status: ${JSON.stringify(last)}`);
    }
  }

  async function startSlowShow(extra: Partial<ShowSpecInput> = {}, pollInterval = SLOW_POLL) {
    const handle = await h.startShow({
      id: h.showId('events'),
      name: 'Events endpoint',
      schedule: { duration: '10m', leadTime: 0 },
      participants: [
        { userId: 'alice', role: 'host' },
        { userId: 'bob', role: 'guest' },
      ],
      composition: { channelArn: freshChannelArn() },
      ...extra,
      policies: { pollInterval, restartBackoff: { initial: 0 } },
    });
    const waiting = await waitForStatus(handle, 'WAITING_FOR_PUBLISHER', (s) => s.phase === 'WAITING_FOR_PUBLISHER');
    const tokens = await handle.query(participantTokensQuery);
    return { handle, stageArn: waiting.resources.stageArn!, tokens };
  }

  async function endShow(handle: ShowHandle) {
    await handle.executeUpdate(endUpdate, { args: [{ reason: 'test over' }] });
    return handle.result();
  }

  void test('a participant publishing moves the show on at once, not at the next poll', async (t) => {
    const { handle, tokens } = await startSlowShow();
    const publishedAt = Date.now();
    await h.fixture.control.join(tokens[0]!.token, { publish: true });
    await waitForStatus(
      handle,
      'the show leaves WAITING_FOR_PUBLISHER',
      (s) => s.phase !== 'WAITING_FOR_PUBLISHER',
      5_000,
    );
    const elapsed = Date.now() - publishedAt;
    t.diagnostic(`left WAITING_FOR_PUBLISHER ${elapsed} ms after the publish (poll interval ${SLOW_POLL})`);
    assert.ok(elapsed < 5_000, `took ${elapsed} ms with a ${SLOW_POLL} poll interval`);
    assert.ok((await ivsSignals(handle)) >= 1, 'the show received an ivsEvent signal');
    assert.ok(open.stats().signalled >= 1);
    await h.fixture.control.leave({ token: tokens[0]!.token });
    assert.equal((await endShow(handle)).outcome, 'COMPLETED');
  });

  /** Log entries of the open endpoint saying it signalled `workflowId` about an event named `eventName`. */
  const signalledAbout = (workflowId: string, eventName: string) =>
    logs.some(
      (l) =>
        l.msg === 'request' &&
        (l.events as { eventName: string; outcome: string; workflowId?: string }[] | undefined)?.some(
          (e) => e.eventName === eventName && e.outcome === 'signalled' && e.workflowId === workflowId,
        ),
    );

  /** A show with a composition (still STARTING: with the slow poll only events can move it on). */
  async function startShowWithComposition(pollInterval = SLOW_POLL) {
    const show = await startSlowShow({}, pollInterval);
    await h.fixture.control.join(show.tokens[0]!.token, { publish: true });
    const starting = await waitForStatus(show.handle, 'a composition', (s) => !!s.composition?.arn, 10_000);
    return { ...show, compositionArn: starting.composition!.arn };
  }

  void test('a Destination Failure event reaches its show as a signal within seconds', async () => {
    const { handle, tokens, compositionArn } = await startShowWithComposition();
    const signalsBefore = await ivsSignals(handle);
    await h.fixture.control.setCompositionState({ compositionArn, state: 'FAILED', destinationType: 'channel' });
    await waitFor(() => signalledAbout(handle.workflowId, 'Destination Failure'), 5_000, {
      description: 'the endpoint signalled the show about the Destination Failure',
    });
    await waitFor(async () => (await ivsSignals(handle)) > signalsBefore, 5_000, { description: 'in history' });
    await h.fixture.control.leave({ token: tokens[0]!.token });
    assert.equal((await endShow(handle)).outcome, 'COMPLETED');
  });

  void test('a destination forced FAILED is recorded as DESTINATION_FAILED within seconds', async () => {
    // Events bring the monitor's poll forward at most once per poll interval (across every show it watches), so
    // the several changes of this test are seen within seconds only with an interval of seconds.
    const { handle, tokens, compositionArn } = await startShowWithComposition('2s');
    try {
      await waitForStatus(handle, 'composition ACTIVE', (s) => s.composition?.state === 'ACTIVE', 10_000);
      await h.fixture.control.setCompositionState({ compositionArn, state: 'FAILED', destinationType: 'channel' });
      const failed = await waitForStatus(
        handle,
        'DESTINATION_FAILED',
        (s) => s.incidents.some((i) => i.kind === 'DESTINATION_FAILED'),
        10_000,
      );
      assert.equal(failed.incidents.find((i) => i.kind === 'DESTINATION_FAILED')?.compositionArn, compositionArn);
      await h.fixture.control.leave({ token: tokens[0]!.token });
      assert.equal((await endShow(handle)).outcome, 'COMPLETED');
    } finally {
      await handle.terminate('test over').catch(() => undefined);
    }
  });

  void test('events no show acts on are acknowledged without a lookup or a signal', async () => {
    const { stage } = await h.fixture.ivs.send(new CreateStageCommand({ name: 'no-effect' }));
    const before = open.stats();
    const events = ['Participant Unpublished', 'Participant Publish Error'].map((name) =>
      stageUpdate(stage!.arn!, name),
    );
    const res = await post(`${open.url}/events`, events);
    assert.deepEqual(res.json, { received: 2, signalled: 0, ignored: 2 });
    const after = open.stats();
    assert.equal((after.ignored['no-effect'] ?? 0) - (before.ignored['no-effect'] ?? 0), 2);
    assert.equal(after.lookup.lookups, before.lookup.lookups, 'nothing was looked up');
  });

  void test('a composition event finds its show through its stage when that is known: no look-up of its own', async () => {
    const { handle, stageArn, tokens } = await startSlowShow({}, '1s');
    try {
      // The publish event looks the stage up (and signals the show, which starts its composition).
      await h.fixture.control.join(tokens[0]!.token, { publish: true });
      const live = await waitForStatus(handle, 'a composition', (s) => !!s.composition?.arn);
      const compositionArn = live.composition!.arn;
      const lookups = open.stats().lookup.lookups;
      const res = await post(
        `${open.url}/events`,
        ivsEvent('IVS Composition State Change', [compositionArn], {
          event_name: 'Session Start',
          stage_arn: stageArn,
        }),
      );
      assert.equal(res.status, 200);
      assert.equal(open.stats().lookup.lookups, lookups, 'the composition was not looked up');
      await h.fixture.control.leave({ token: tokens[0]!.token });
      assert.equal((await endShow(handle)).outcome, 'COMPLETED');
    } finally {
      await handle.terminate('test over').catch(() => undefined);
    }
  });

  void test('events about resources that are not a show are acknowledged and ignored', async () => {
    const { stage } = await h.fixture.ivs.send(new CreateStageCommand({ name: 'not-a-show' }));
    const before = open.stats().ignored;
    const untagged = await post(`${open.url}/events`, stageUpdate(stage!.arn!, 'Participant Published'));
    assert.equal(untagged.status, 200);
    assert.deepEqual(untagged.json, { received: 1, signalled: 0, ignored: 1 });
    const gone = await post(`${open.url}/events`, stageUpdate('arn:aws:ivs:us-east-1:123456789012:stage/deleted0000'));
    assert.deepEqual(gone.json, { received: 1, signalled: 0, ignored: 1 });
    const after = open.stats().ignored;
    assert.equal((after['not-showrunner'] ?? 0) - (before['not-showrunner'] ?? 0), 1);
    assert.equal((after['resource-gone'] ?? 0) - (before['resource-gone'] ?? 0), 1);
  });

  void test('malformed requests get 400 naming the field; unknown routes 404; GET 405', async () => {
    const badJson = await post(`${open.url}/events`, '{"id": ');
    assert.equal(badJson.status, 400);
    assert.equal(badJson.json.error, 'InvalidJson');
    const stageArn = 'arn:aws:ivs:us-east-1:123456789012:stage/abcdEFGH1234';
    const noName = await post(`${open.url}/events`, ivsEvent('IVS Stage Update', [stageArn], { session_id: 's' }));
    assert.equal(noName.status, 400);
    assert.match(String(noName.json.message), /detail\.event_name/);
    const batch = await post(`${open.url}/events`, [
      stageUpdate(stageArn),
      { ...stageUpdate(stageArn), resources: ['x'] },
    ]);
    assert.equal(batch.status, 400);
    assert.match(String(batch.json.message), /\[1\]\.resources\[0\]/);
    const otherSource = await post(`${open.url}/events`, { ...stageUpdate(stageArn), source: 'aws.s3' });
    assert.match(String(otherSource.json.message), /source/);
    assert.equal((await post(`${open.url}/nope`, stageUpdate(stageArn))).status, 404);
    assert.equal((await fetch(`${open.url}/events`)).status, 405);
  });

  void test('a body that is not declared application/json gets 415, before it is read', async () => {
    const event = stageUpdate('arn:aws:ivs:us-east-1:123456789012:stage/deleted0002');
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/jsonp']) {
      const res = await post(`${open.url}/events`, event, { 'content-type': type });
      assert.equal(res.status, 415, type);
      assert.equal(res.json.error, 'UnsupportedMediaType');
    }
    const res = await fetch(`${open.url}/events`, { method: 'POST', body: JSON.stringify(event) });
    assert.equal(res.status, 415, 'no content type');
    await res.arrayBuffer();
    assert.equal(
      (await post(`${open.url}/events`, event, { 'content-type': 'Application/JSON; charset=utf-8' })).status,
      200,
    );
    // Authentication comes first: an unauthenticated caller learns nothing about the rules.
    assert.equal((await post(`${guarded.url}/events`, event, { 'content-type': 'text/plain' })).status, 401);
  });

  void test('only the configured regions are looked up; others are acknowledged unasked', async () => {
    const regional = await startEventsEndpoint({
      port: 0,
      host: '127.0.0.1',
      regions: ['us-east-1'],
      ivs: () => h.fixture.ivs,
      client: h.client,
    });
    try {
      const far = await post(`${regional.url}/events`, [
        stageUpdate('arn:aws:ivs:eu-west-1:123456789012:stage/abcdEFGH0001'),
        stageUpdate('arn:aws:ivs:xx-nowhere-9:123456789012:stage/abcdEFGH0002'),
      ]);
      assert.deepEqual(far.json, { received: 2, signalled: 0, ignored: 2 });
      assert.equal(regional.stats().ignored['unknown-region'], 2);
      assert.equal(regional.stats().lookup.lookups, 0, 'no IVS call for a region not served');
      assert.equal(regional.stats().lookup.cached, 0, 'nor a cache entry');
      await post(`${regional.url}/events`, stageUpdate('arn:aws:ivs:us-east-1:123456789012:stage/abcdEFGH0003'));
      assert.equal(regional.stats().lookup.lookups, 1);
    } finally {
      await regional.stop();
    }
  });

  void test('with a token configured, a missing or wrong one gets 401 and the right one passes', async () => {
    const event = stageUpdate('arn:aws:ivs:us-east-1:123456789012:stage/deleted0001');
    assert.equal((await post(`${guarded.url}/events`, event)).status, 401);
    assert.equal((await post(`${guarded.url}/events`, event, { authorization: `Bearer ${TOKEN}x` })).status, 401);
    assert.equal((await post(`${guarded.url}/events`, event, { authorization: TOKEN })).status, 401);
    const ok = await post(`${guarded.url}/events`, event, { authorization: `Bearer ${TOKEN}` });
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.json, { received: 1, signalled: 0, ignored: 1 });
    // The scheme is case-insensitive (RFC 9110); the token is not.
    for (const scheme of ['bearer', 'BEARER'])
      assert.equal((await post(`${guarded.url}/events`, event, { authorization: `${scheme} ${TOKEN}` })).status, 200);
    assert.equal(
      (await post(`${guarded.url}/events`, event, { authorization: `Bearer ${TOKEN.toUpperCase()}` })).status,
      401,
    );

    const apiKey = await startEventsEndpoint({
      port: 0,
      host: '127.0.0.1',
      token: TOKEN,
      authHeader: 'x-showrunner-key',
      ivs: () => h.fixture.ivs,
      client: h.client,
    });
    try {
      assert.equal((await post(`${apiKey.url}/events`, event, { authorization: `Bearer ${TOKEN}` })).status, 401);
      assert.equal((await post(`${apiKey.url}/events`, event, { 'x-showrunner-key': TOKEN })).status, 200);
    } finally {
      await apiKey.stop();
    }
    await assert.rejects(
      startEventsEndpoint({ port: 0, host: '0.0.0.0', ivs: () => h.fixture.ivs, client: h.client }),
      /token is required/,
    );
  });

  void test('a duplicate event is signalled once; a burst about one stage costs one lookup', async () => {
    const { handle, stageArn } = await startSlowShow();
    const signals = await ivsSignals(handle);
    const event = stageUpdate(stageArn);
    const first = await post(`${open.url}/events`, event);
    assert.deepEqual(first.json, { received: 1, signalled: 1, ignored: 0 });
    const again = await post(`${open.url}/events`, event);
    assert.deepEqual(again.json, { received: 1, signalled: 0, ignored: 1 });
    const twin = randomUUID();
    const copies = await post(`${open.url}/events`, [
      stageUpdate(stageArn, undefined, twin),
      stageUpdate(stageArn, undefined, twin),
    ]);
    // A second event of the same kind within the coalescing window is held (and this one's copy is a duplicate)...
    assert.deepEqual(copies.json, { received: 2, signalled: 0, ignored: 2 });
    // ...and signalled once at the window's end. Signals that arrive during a workflow task reach the history when
    // it completes: wait, then check none follow.
    await waitFor(async () => (await ivsSignals(handle)) >= signals + 2, 5_000, { description: 'two signals' });
    await sleep(500);
    assert.equal(await ivsSignals(handle), signals + 2);

    const { stage } = await h.fixture.ivs.send(new CreateStageCommand({ name: 'burst' }));
    const lookups = open.stats().lookup.lookups;
    const burst = await post(
      `${open.url}/events`,
      Array.from({ length: 20 }, () => stageUpdate(stage!.arn!)),
    );
    assert.deepEqual(burst.json, { received: 20, signalled: 0, ignored: 20 });
    assert.equal(open.stats().lookup.lookups - lookups, 1);
    assert.equal((await endShow(handle)).outcome, 'COMPLETED');
    // Late events about a finished show: the stage is deleted and the workflow closed; both are acknowledged.
    const late = await post(`${open.url}/events`, stageUpdate(stageArn, 'Participant Published'));
    assert.deepEqual(late.json, { received: 1, signalled: 0, ignored: 1 });
  });

  void test('delayed and reordered deliveries are harmless: the show runs its course', async () => {
    await h.fixture.control.unsubscribe(subscriptionId);
    const jittery = await h.fixture.control.subscribe({ url: `${open.url}/events`, delayMs: 200, jitterMs: 1_500 });
    try {
      const { handle, tokens, stageArn } = await startSlowShow();
      await h.fixture.control.join(tokens[0]!.token, { publish: true });
      await h.fixture.control.join(tokens[1]!.token, { publish: true });
      await h.fixture.control.unpublish({ token: tokens[1]!.token });
      await h.fixture.control.publish({ token: tokens[1]!.token });
      await waitForStatus(handle, 'a composition', (s) => !!s.composition?.arn, 10_000);
      for (const t of tokens) await h.fixture.control.leave({ token: t.token });
      const result = await endShow(handle);
      assert.equal(result.outcome, 'COMPLETED');
      // Events still in flight land on a finished show or a deleted stage: acknowledged, never a failure.
      await sleep(2_000);
      assert.equal(open.stats().failed, 0);
      const inventory = await h.fixture.control.inventory();
      assert.ok(!inventory.regions.some((r) => r.stages.some((st) => st.arn === stageArn)), 'the stage is deleted');
      assert.ok(
        result.removed.some((r) => r.kind === 'composition'),
        'the composition was stopped',
      );
    } finally {
      await h.fixture.control.unsubscribe(jittery.id);
      subscriptionId = (await h.fixture.control.subscribe({ url: `${open.url}/events` })).id;
    }
  });

  void test('Temporal unreachable: 503, so that EventBridge retries', async () => {
    const { handle, stageArn } = await startSlowShow();
    const connection = Connection.lazy({ address: '127.0.0.1:1' });
    const down = new Client({ connection });
    const endpoint = await startEventsEndpoint({
      port: 0,
      host: '127.0.0.1',
      ivs: () => h.fixture.ivs,
      client: down,
      signalTimeoutMs: 1_000,
    });
    try {
      const started = Date.now();
      const res = await post(`${endpoint.url}/events`, stageUpdate(stageArn));
      assert.equal(res.status, 503);
      assert.equal(res.json.error, 'TemporalUnavailable');
      assert.ok(Date.now() - started < 4_000, 'answers before EventBridge gives up (5 s)');
      assert.equal(endpoint.stats().failed, 1);
    } finally {
      await endpoint.stop();
      await connection.close().catch(() => undefined);
    }
    assert.equal((await endShow(handle)).outcome, 'COMPLETED');
  });

  void test('one JSON-able log entry per request, without credentials', () => {
    const requests = logs.filter((l) => l.msg === 'request');
    assert.ok(requests.length >= 5);
    for (const entry of requests) {
      const line = JSON.stringify(entry);
      assert.ok(!line.includes(TOKEN));
      assert.equal(typeof entry.status, 'number');
    }
  });
});
