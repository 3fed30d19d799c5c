import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import fc from 'fast-check';
import type { z } from 'zod/mini';
import {
  endArgsSchema,
  extendArgsSchema,
  issueTokenArgsSchema,
  restartArgsSchema,
  statusQuery,
} from '../../contracts/show-messages';
import { apiCalls, showEmulatorConfig, showHarnessPerSuite, waitForPhase } from '../support/show-scenarios';

/**
 * Property-based checks of the show's update validators, end to end: generated invalid arguments for end, extend,
 * issueToken and restartComposition, sent to one real running show, are all rejected before they enter history,
 * with a message naming the field or rule, and the show carries on as if nothing happened.
 *
 * The seed is fixed so a failure reproduces; set SHOWRUNNER_FUZZ_SEED to explore others.
 */
const SEED = Number(process.env.SHOWRUNNER_FUZZ_SEED ?? 20_250_602);
/** Per update; 4 × 300 = 1,200 in all (about 5 s against a local dev server). */
const RUNS_PER_UPDATE = Number(process.env.SHOWRUNNER_FUZZ_RUNS ?? 300);
/** Updates in flight at once: each is a round trip through the server to the worker's validator. */
const IN_FLIGHT = 10;
const HOUR = 60 * 60_000;

type UpdateName = 'end' | 'extend' | 'issueToken' | 'restartComposition';
/** `args: []`: the validator then sees undefined, as when a client sends no argument at all. */
const NO_ARGUMENT = Symbol('no argument');

/** One invalid update: what is sent, and what the rejection must say. */
interface Case {
  update: UpdateName;
  label: string;
  arg: unknown;
  expect: RegExp;
  /** Invalid by the arguments schema itself (not by a rule that depends on the show, such as a past endAt). */
  schemaInvalid: boolean;
}

const SCHEMAS: Record<UpdateName, z.ZodMiniType> = {
  end: endArgsSchema,
  extend: extendArgsSchema,
  issueToken: issueTokenArgsSchema,
  restartComposition: restartArgsSchema,
};

// ---- building blocks ----

/** Payloads are JSON: only JSON-safe values reach the validator unchanged. */
const json = fc.jsonValue({ maxDepth: 2 });
const jsonNot = (...kinds: ('string' | 'number' | 'boolean' | 'object' | 'array' | 'null')[]) =>
  json.filter((v) => !kinds.includes(v === null ? 'null' : Array.isArray(v) ? 'array' : (typeof v as 'string')));
/** Anything but an object; null is left out as the validators read a missing argument as `{}`. */
const nonObject = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.array(json, { maxLength: 3 }),
);
/** A string of exactly `length` UTF-16 units (zod counts those), from a short repeated pattern. */
const stringOfLength = (min: number, max: number) =>
  fc
    .tuple(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 6 }), fc.integer({ min, max }))
    .map(([pattern, length]) => pattern.repeat(Math.ceil(length / pattern.length)).slice(0, length));
/** Oversized strings, now and then huge (up to 1 MB: well under Temporal's 2 MB payload limit). */
const oversized = (limit: number) =>
  fc.oneof(
    { weight: 20, arbitrary: stringOfLength(limit + 1, limit * 10) },
    { weight: 1, arbitrary: stringOfLength(100_000, 1_000_000) },
  );
/** Keys a strict schema must refuse: near misses of real field names, prototype keys and arbitrary ones. */
const unknownKey = (known: string[]) =>
  fc
    .oneof(
      fc.constantFrom('__proto__', 'constructor', 'toString', 'Reason', 'end_at', 'endat', 'userID', 'user_id'),
      fc.constantFrom('capability', 'duration', 'attrs', 'force', 'args', 'reason ', ' endAt', 'durationminutes'),
      fc.string({ minLength: 1, maxLength: 16 }),
    )
    .filter((k) => !known.includes(k));
/** Adds the keys as own properties, `__proto__` included, as JSON.parse on the worker will. */
function withKeys(base: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const out = { ...base };
  for (const [k, v] of Object.entries(extra))
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}
const unknownKeys = (known: string[]) =>
  fc.array(fc.tuple(unknownKey(known), json), { minLength: 1, maxLength: 3 }).map((pairs) => {
    const extra: Record<string, unknown> = {};
    for (const [k, v] of pairs)
      Object.defineProperty(extra, k, { value: v, enumerable: true, writable: true, configurable: true });
    return extra;
  });

/**
 * A case builder. The schema's issues read "Invalid arguments: <field>: <rule>; ...", and `rule` must be one of them;
 * the show's own rules (extend's time checks) stand alone.
 */
function caseOf(update: UpdateName, label: string, rule: RegExp, schemaInvalid = true) {
  const expect = new RegExp(`^${schemaInvalid ? 'Invalid arguments: (?:.*; )?' : ''}${rule.source}`, 's');
  return (arg: unknown): Case => ({ update, label, arg, expect, schemaInvalid });
}

const UNRECOGNIZED = /\(args\): Unrecognized keys?: /;
const NOT_AN_OBJECT = /\(args\): Invalid input: expected object, received /;

// ---- end and restartComposition: { reason?: string (≤ 500) } ----

function reasonCases(update: 'end' | 'restartComposition'): fc.Arbitrary<Case> {
  return fc.oneof(
    nonObject.map(caseOf(update, 'not an object', NOT_AN_OBJECT)),
    jsonNot('string')
      .map((reason) => ({ reason }))
      .map(caseOf(update, 'reason of a wrong type', /reason: Invalid input: expected string/)),
    oversized(500)
      .map((reason) => ({ reason }))
      .map(caseOf(update, 'reason too long', /reason: Too big: expected string to have <=500 characters/)),
    fc
      .tuple(fc.option(fc.string({ maxLength: 20 }), { nil: undefined }), unknownKeys(['reason']))
      .map(([reason, extra]) => withKeys(reason === undefined ? {} : { reason }, extra))
      .map(caseOf(update, 'unknown key', UNRECOGNIZED)),
  );
}

// ---- extend: { endAt: ISO 8601 with offset, in the future, ≤ 24 h after the start } ----

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');
/** `ms` written in the zone `offsetMinutes` away from UTC, e.g. 2030-01-01T11:00:00.000+01:00. */
function isoAt(ms: number, offsetMinutes: number): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, -1);
  const sign = offsetMinutes < 0 ? '-' : '+';
  return `${local}${sign}${pad(Math.trunc(Math.abs(offsetMinutes) / 60))}:${pad(Math.abs(offsetMinutes) % 60)}`;
}
const offsetMinutes = fc.oneof(fc.constant(0), fc.integer({ min: -12 * 60, max: 14 * 60 }));
const futureIso = fc
  .tuple(fc.integer({ min: HOUR, max: 2 * HOUR }), offsetMinutes)
  .map(([d, o]) => isoAt(Date.now() + d, o));
/** Ways to spoil a valid ISO time that Date.parse or a careless regex might still take. */
const SPOILERS: ((iso: string) => string)[] = [
  (s) => s.replace(/(Z|[+-]\d\d:\d\d)$/, ''), // no zone
  (s) => s.replace('T', ' '),
  (s) => s.slice(0, 10), // date only
  (s) => s.replace(/^(\d{4})-\d\d/, '$1-13'),
  (s) => s.replace(/^(\d{4}-\d\d)-\d\d/, '$1-32'),
  (s) => s.replace(/^(\d{4}-\d\d)-\d\d/, '$1-00'),
  (s) => s.replace(/^(\d{4})-\d\d-\d\d/, '$1-02-30'),
  (s) => s.replace(/T\d\d/, 'T25'),
  (s) => s.replace(/T(\d\d):\d\d/, 'T$1:60'),
  (s) => s.replace(/(Z|[+-]\d\d:\d\d)$/, '+25:00'),
  (s) => s.replace(/(Z|[+-]\d\d:\d\d)$/, '+01'),
  (s) => s.replace(/^\d\d/, ''), // two-digit year
  (s) => `+0${s}`, // extended year
  (s) => ` ${s}`,
  (s) => `${s} `,
  (s) => `${s}x`,
  (s) => s.toLowerCase(),
  (s) => s.replaceAll('-', '/'),
  () => 'now',
  () => 'tomorrow',
  () => '',
  (s) => String(Date.parse(s)),
  (s) => new Date(s).toUTCString(),
];
const badIso = fc.oneof(
  fc.tuple(futureIso, fc.constantFrom(...SPOILERS)).map(([iso, spoil]) => spoil(iso)),
  fc.string({ maxLength: 30 }),
);
const extendCases: fc.Arbitrary<Case> = fc.oneof(
  fc
    .constantFrom(NO_ARGUMENT, undefined, null, {})
    .map(caseOf('extend', 'endAt missing', /endAt: Invalid input: expected string, received undefined/)),
  nonObject.map(caseOf('extend', 'not an object', NOT_AN_OBJECT)),
  jsonNot('string')
    .map((endAt) => ({ endAt }))
    .map(caseOf('extend', 'endAt of a wrong type', /endAt: Invalid input: expected string/)),
  badIso
    // Strings the schema happens to take are not invalid: fast-check draws another.
    .filter((endAt) => !extendArgsSchema.safeParse({ endAt }).success)
    .map((endAt) => ({ endAt }))
    .map(caseOf('extend', 'endAt not ISO 8601 with a zone', /endAt: Invalid ISO datetime/)),
  fc
    .tuple(fc.integer({ min: 60_000, max: 100 * 365 * 24 * HOUR }), offsetMinutes)
    .map(([ago, o]) => ({ endAt: isoAt(Date.now() - ago, o) }))
    .map(caseOf('extend', 'endAt in the past', /endAt: must be in the future/, false)),
  fc
    .tuple(fc.integer({ min: 25 * HOUR, max: 7_000 * 365 * 24 * HOUR }), offsetMinutes)
    .map(([ahead, o]) => ({ endAt: isoAt(Math.min(Date.now() + ahead, Date.UTC(9999, 11, 30)), o) }))
    .map(caseOf('extend', 'endAt beyond 24 h', /endAt: a show lasts at most 24 hours/, false)),
  fc
    .tuple(futureIso, unknownKeys(['endAt']))
    .map(([endAt, extra]) => withKeys({ endAt }, extra))
    .map(caseOf('extend', 'unknown key', UNRECOGNIZED)),
);

// ---- issueToken: { userId: 1-128, durationMinutes?: int 1-20160, capabilities?: 1-2 of PUBLISH/SUBSCRIBE,
//      attributes?: { key 1-128: value ≤ 1024 } } ----

const user = fc.string({ minLength: 1, maxLength: 20 });
const issueTokenCases: fc.Arbitrary<Case> = fc.oneof(
  fc
    .constantFrom(NO_ARGUMENT, undefined, null, {})
    .map(caseOf('issueToken', 'userId missing', /userId: Invalid input: expected string, received undefined/)),
  nonObject.map(caseOf('issueToken', 'not an object', NOT_AN_OBJECT)),
  fc
    .constant({ userId: '' })
    .map(caseOf('issueToken', 'userId empty', /userId: Too small: expected string to have >=1 characters/)),
  oversized(128)
    .map((userId) => ({ userId }))
    .map(caseOf('issueToken', 'userId too long', /userId: Too big: expected string to have <=128 characters/)),
  jsonNot('string')
    .map((userId) => ({ userId }))
    .map(caseOf('issueToken', 'userId of a wrong type', /userId: Invalid input: expected string/)),
  fc
    .tuple(
      user,
      fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 20_161 }), fc.constantFrom(-0.5, 0.5, 1.5, 20_160.01, 1e21)),
    )
    .map(([userId, durationMinutes]) => ({ userId, durationMinutes }))
    .map(
      caseOf(
        'issueToken',
        'durationMinutes out of range',
        /durationMinutes: (Too small|Too big|Invalid input: expected int)/,
      ),
    ),
  fc
    .tuple(user, jsonNot('number'))
    .map(([userId, durationMinutes]) => ({ userId, durationMinutes }))
    .map(caseOf('issueToken', 'durationMinutes of a wrong type', /durationMinutes: Invalid input: expected number/)),
  fc
    .tuple(
      user,
      fc.oneof(
        fc.constant([]),
        fc.array(fc.constantFrom('PUBLISH', 'SUBSCRIBE'), { minLength: 3, maxLength: 6 }),
        fc.array(fc.oneof(fc.constantFrom('publish', 'Subscribe', 'ADMIN', 'PUBLISH ', ''), jsonNot('string')), {
          minLength: 1,
          maxLength: 2,
        }),
        jsonNot('array', 'null'),
        fc.constant(null),
      ),
    )
    .map(([userId, capabilities]) => ({ userId, capabilities }))
    .map(caseOf('issueToken', 'capabilities invalid', /capabilities(\.\d+)?: /)),
  fc
    .tuple(
      user,
      fc.oneof(
        fc.constant({ '': 'x' }),
        fc.tuple(stringOfLength(129, 2_000), fc.string()).map(([k, v]) => ({ [k]: v })),
        fc.tuple(fc.string({ minLength: 1, maxLength: 10 }), oversized(1024)).map(([k, v]) => ({ [k]: v })),
        fc
          .tuple(fc.string({ minLength: 1, maxLength: 10 }), jsonNot('string'))
          .map(([k, v]) => withKeys({}, { [k]: v })),
        jsonNot('object').filter((v) => v !== null),
      ),
    )
    .map(([userId, attributes]) => ({ userId, attributes }))
    .map(caseOf('issueToken', 'attributes invalid', /attributes(\.|: )/)),
  fc
    .tuple(user, unknownKeys(['userId', 'durationMinutes', 'capabilities', 'attributes']))
    .map(([userId, extra]) => withKeys({ userId }, extra))
    .map(caseOf('issueToken', 'unknown key', UNRECOGNIZED)),
);

const CASES: Record<UpdateName, fc.Arbitrary<Case>> = {
  end: reasonCases('end'),
  extend: extendCases,
  issueToken: issueTokenCases,
  restartComposition: reasonCases('restartComposition'),
};

/** What the worker will see: the argument after the JSON round trip of the payload converter. */
function asReceived(arg: unknown): unknown {
  if (arg === NO_ARGUMENT || arg === undefined) return undefined;
  return JSON.parse(JSON.stringify(arg)) as unknown;
}

const describeArg = (arg: unknown) => {
  if (arg === NO_ARGUMENT) return '(no argument)';
  const text = JSON.stringify(arg) ?? String(arg);
  return text.length > 120 ? `${text.slice(0, 120)}… (${text.length} chars)` : text;
};

/** IVS operations that change something; polls (List*, Get*) may come from the show's own monitors. */
const mutating = (calls: Record<string, number>) =>
  Object.fromEntries(Object.entries(calls).filter(([op]) => !/^(List|Get)/.test(op)));

async function pool<T>(items: T[], concurrency: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await run(items[next++]!);
    }),
  );
}

void describe('update arguments fuzzing', () => {
  const harness = showHarnessPerSuite(showEmulatorConfig());

  void test('generated invalid update arguments are all rejected, and the show carries on untouched', async (t) => {
    t.diagnostic(`fast-check seed ${SEED}, ${RUNS_PER_UPDATE} runs per update (set SHOWRUNNER_FUZZ_SEED to change)`);
    // Without a composition the show is LIVE as soon as its stage and tokens exist, and then calls IVS no more.
    const id = harness.showId('fuzz-updates');
    const handle = await harness.startShow({
      id,
      name: id,
      schedule: { duration: '10m', leadTime: 0 },
      participants: [{ userId: 'alice', role: 'host' }],
      policies: { pollInterval: '1s' },
    });
    const before = await waitForPhase(handle, 'LIVE');
    const callsBefore = mutating(await apiCalls(harness.fixture));

    const cases = (Object.keys(CASES) as UpdateName[]).flatMap((update, i) =>
      fc.sample(CASES[update], { seed: SEED + i, numRuns: RUNS_PER_UPDATE }),
    );
    // Guard against the generators: a case the schema takes would not test a rejection (and might end the show).
    for (const k of cases) {
      if (!k.schemaInvalid) continue;
      const parsed = SCHEMAS[k.update].safeParse(asReceived(k.arg) ?? {});
      assert.ok(!parsed.success, `generator bug: ${k.update} ${k.label} ${describeArg(k.arg)} is valid`);
    }

    const huge = cases.filter((k) => (JSON.stringify(k.arg) ?? '').length >= 100_000).length;
    const failures: string[] = [];
    const perLabel = new Map<string, number>();
    const started = Date.now();
    await pool(cases, IN_FLIGHT, async (k) => {
      const key = `${k.update}: ${k.label}`;
      perLabel.set(key, (perLabel.get(key) ?? 0) + 1);
      try {
        const result = await (k.arg === NO_ARGUMENT
          ? handle.executeUpdate(k.update)
          : handle.executeUpdate(k.update, { args: [k.arg] }));
        failures.push(`${key} ${describeArg(k.arg)}: accepted, returned ${describeArg(result)}`);
      } catch (e) {
        if (!(e instanceof WorkflowUpdateFailedError)) {
          failures.push(`${key} ${describeArg(k.arg)}: ${(e as Error).name} instead of WorkflowUpdateFailedError`);
          return;
        }
        const message = e.cause?.message ?? '';
        if (!k.expect.test(message)) failures.push(`${key} ${describeArg(k.arg)}: "${message.slice(0, 300)}"`);
      }
    });
    const seconds = (Date.now() - started) / 1000;
    t.diagnostic(
      `${cases.length} invalid updates in ${seconds.toFixed(1)} s, ${IN_FLIGHT} in flight (${huge} of them ≥ 100 kB)`,
    );
    t.diagnostic(`kinds: ${[...perLabel].map(([k, n]) => `${k} ×${n}`).join(', ')}`);
    assert.ok(cases.length >= 1_000, `only ${cases.length} cases`);
    assert.deepEqual(failures.slice(0, 20), [], `${failures.length} of ${cases.length} cases went wrong`);

    // Beyond Temporal's 2 MB payload limit the validator's rejection, which echoes the request, cannot be
    // delivered: the server answers FAILED_PRECONDITION ("unexpected workflow task failure") instead of the
    // validator's message. Still refused, and harmless to the show, as the checks below confirm.
    await assert.rejects(
      handle.executeUpdate('end', { args: [{ reason: 'x'.repeat(2_100_000) }] }),
      (e: Error) =>
        e instanceof WorkflowUpdateFailedError || /FAILED_PRECONDITION/.test(`${e.message} ${String(e.cause)}`),
    );

    // The show is still running, answers queries, and is where it was.
    assert.equal((await handle.describe()).status.name, 'RUNNING');
    const after = await handle.query(statusQuery);
    assert.equal(after.phase, before.phase);
    assert.equal(after.plannedEnd, before.plannedEnd);
    assert.deepEqual(after.participants, before.participants);
    assert.deepEqual(after.incidents, before.incidents);
    // Rejected updates leave no trace in history, and no workflow task failed on them.
    const { events } = await handle.fetchHistory();
    const { EventType } = temporal.api.enums.v1;
    const count = (type: temporal.api.enums.v1.EventType) => (events ?? []).filter((e) => e.eventType === type).length;
    assert.equal(count(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED), 0);
    assert.equal(count(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED), 0);
    t.diagnostic(`history: ${events?.length} events`);
    // No IVS call was made for them.
    assert.deepEqual(mutating(await apiCalls(harness.fixture)), callsBefore);

    // Control: a valid update is accepted and does call IVS, so the checks above could have seen one.
    await handle.executeUpdate('issueToken', { args: [{ userId: 'fuzz-control' }] });
    const callsAfter = mutating(await apiCalls(harness.fixture));
    assert.equal(callsAfter.CreateParticipantToken, (callsBefore.CreateParticipantToken ?? 0) + 1);
    const { events: withControl } = await handle.fetchHistory();
    const accepted = (withControl ?? []).filter(
      (e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
    );
    assert.equal(accepted.length, 1);
  });
});
