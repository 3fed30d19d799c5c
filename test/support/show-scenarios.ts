import assert from 'node:assert/strict';
import type { WorkflowHandle } from '@temporalio/client';
import type { EmulatorConfigInput } from '../../emulator/src';
import type { ShowSpecInput } from '../../show-spec/show-spec';
import type { showWorkflow } from '../../workflows';
import type { WorkerConfig } from '../../worker/worker-config';
import { endUpdate, participantTokensQuery, statusQuery } from '../../contracts/show-messages';
import type { ShowPhase, ShowStatus } from '../../contracts/show-status';
import type { EmulatorFixture } from './emulator-fixture';
import { freshChannelArn } from './emulator-scenarios';
import { perSuite } from './per-suite';
import { startShowHarness, type ShowHarness } from './show-harness';
import { waitFor } from './wait-for';

export { freshChannelArn };

export type ShowHandle = WorkflowHandle<typeof showWorkflow>;
type EmulatorTimings = NonNullable<EmulatorConfigInput['timings']>;

/**
 * The emulator for a show test: real time (clock scale 1), compositions that start and stop in half a second, and
 * `timings` on top (idle rules, reconnect window).
 */
export function showEmulatorConfig(timings: EmulatorTimings = {}): EmulatorConfigInput {
  return { clockScale: 1, timings: { compositionStartMs: 500, compositionStopMs: 500, ...timings } };
}

/** Both idle rules of the emulator at `ms`: how long a composition outlives its last publisher or an empty stage. */
export function idleStopAfter(ms: number): EmulatorTimings {
  return { idleStopAfterLastLeftMs: ms, idleStopWithoutParticipantsMs: ms };
}

/**
 * Idle compositions stop 3 s after the stage empties, and the emulator's own reconnect window (60 s) is far longer
 * than any show's tolerance, so only the show decides when a reconnecting destination is given up.
 */
export const QUICK_IDLE_STOP_TIMINGS: EmulatorTimings = {
  ...idleStopAfter(3_000),
  destinationReconnectWindowMs: 60_000,
};

/**
 * A show harness (see startShowHarness) started before the current suite's tests and stopped after them;
 * `beforeStop` runs first, for clean-up the harness does not know of.
 */
export function showHarnessPerSuite(
  emulatorConfig: EmulatorConfigInput,
  options: { beforeStop?: (harness: ShowHarness) => Promise<unknown>; worker?: Partial<WorkerConfig> } = {},
): ShowHarness {
  return perSuite(
    () => startShowHarness(emulatorConfig, options.worker),
    async (harness) => {
      await options.beforeStop?.(harness);
      await harness.stop();
    },
  );
}

/**
 * A one-host show of ten minutes starting now, with a channel destination of its own and a 1 s poll interval;
 * `overrides` replace top-level fields, except `policies`, which are merged over the 1 s poll interval.
 */
export function baseShowSpec(id: string, overrides: Partial<ShowSpecInput> = {}): ShowSpecInput {
  return {
    id,
    name: id,
    schedule: { duration: '10m', leadTime: 0 },
    participants: [{ userId: 'alice', role: 'host' }],
    composition: { channelArn: freshChannelArn() },
    ...overrides,
    policies: { pollInterval: '1s', ...overrides.policies },
  };
}

/** Polls the status query until `predicate` holds; on timeout the error carries the last status seen. */
export async function waitForStatus(
  handle: ShowHandle,
  what: string,
  predicate: (s: ShowStatus) => boolean,
  timeoutMs = 30_000,
): Promise<ShowStatus> {
  let last: ShowStatus | undefined;
  try {
    return await waitFor(
      async () => {
        last = await handle.query(statusQuery);
        return predicate(last) ? last : undefined;
      },
      timeoutMs,
      { intervalMs: 250, description: what },
    );
  } catch (e) {
    throw new Error(`${(e as Error).message}; last status: ${JSON.stringify(last)}`);
  }
}

/** Waits until the show is in `phase`. */
export function waitForPhase(handle: ShowHandle, phase: ShowPhase, timeoutMs?: number): Promise<ShowStatus> {
  return waitForStatus(handle, `phase ${phase}`, (s) => s.phase === phase, timeoutMs);
}

/** LIVE with an ACTIVE composition (whatever its destinations are doing). */
export const compositionActive = (s: ShowStatus): boolean => s.phase === 'LIVE' && s.composition?.state === 'ACTIVE';

/** LIVE with an ACTIVE composition whose destinations are all ACTIVE. */
export const onAir = (s: ShowStatus): boolean =>
  compositionActive(s) && s.composition!.destinations.every((d) => d.state === 'ACTIVE');

/** Waits until a composition other than `previousArn` is on air (a restart or a new start after an idle stop). */
export function waitForNewComposition(
  handle: ShowHandle,
  previousArn: string,
  what = 'a new composition on air',
): Promise<ShowStatus> {
  return waitForStatus(handle, what, (s) => onAir(s) && s.composition?.arn !== previousArn);
}

/** Puts the composition's channel destination into `state` through the emulator's control API. */
export async function setChannelDestination(
  harness: ShowHarness,
  compositionArn: string,
  state: 'RECONNECTING' | 'FAILED' | 'ACTIVE',
): Promise<void> {
  await harness.fixture.control.setCompositionState({ compositionArn, state, destinationType: 'channel' });
}

/** Joins the stage with the show's first participant token, publishing; resolves with all the show's tokens. */
export async function publishWithFirstToken(harness: ShowHarness, handle: ShowHandle) {
  const tokens = await handle.query(participantTokensQuery);
  await harness.fixture.control.join(tokens[0]!.token, { publish: true });
  return { tokens, token: tokens[0]!.token };
}

/**
 * Starts a show (baseShowSpec with `specOverrides`, under a fresh ID unless one is given), waits for it to ask for a
 * publisher, publishes with its first token and resolves once it is on air.
 */
export async function liveShow(
  harness: ShowHarness,
  specOverrides: Partial<ShowSpecInput> = {},
  options: { continueAsNewAfterEvents?: number; timeoutMs?: number } = {},
) {
  const spec = baseShowSpec(specOverrides.id ?? harness.showId('live'), specOverrides);
  const handle = await harness.startShow(spec, { continueAsNewAfterEvents: options.continueAsNewAfterEvents });
  await waitForPhase(handle, 'WAITING_FOR_PUBLISHER', options.timeoutMs);
  const { tokens, token } = await publishWithFirstToken(harness, handle);
  const live = await waitForStatus(handle, 'on air', onAir, options.timeoutMs);
  return { handle, live, tokens, token, compositionArn: live.composition!.arn };
}

/** Ends the show early with the end update and resolves with its result; then the publisher (if given) leaves. */
export async function endShow(
  harness: ShowHarness,
  handle: ShowHandle,
  options: { token?: string; reason?: string } = {},
) {
  await handle.executeUpdate(endUpdate, { args: [{ reason: options.reason ?? 'test over' }] });
  const result = await handle.result();
  if (options.token) await harness.fixture.control.leave({ token: options.token }).catch(() => undefined);
  return result;
}

export const NOTHING_LIVE = { stages: 0, ingestConfigurations: 0, compositions: 0 };

/** Asserts that the emulator holds no live stage, ingest configuration or composition. */
export async function assertNothingLive(fixture: EmulatorFixture): Promise<void> {
  assert.deepEqual((await fixture.control.inventory()).live, NOTHING_LIVE);
}

/** Every ApplicationFailure type along an error's cause chain (WorkflowFailedError → ActivityFailure → ...). */
export function failureTypes(error: unknown): string[] {
  const types: string[] = [];
  for (let e = error as { type?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e)
    if (e.type) types.push(e.type);
  return types;
}

/** Asserts that the show fails, with an ApplicationFailure of type `failureType` along the cause chain. */
export async function assertShowFailsWith(handle: ShowHandle, failureType: string): Promise<void> {
  await assert.rejects(handle.result(), (e: unknown) => {
    const types = failureTypes(e);
    assert.ok(types.includes(failureType), `failure types: ${types.join(', ')}`);
    return true;
  });
}

/** Calls per IVS operation so far, over every account and region. */
export async function apiCalls(fixture: EmulatorFixture): Promise<Record<string, number>> {
  const { api } = await fixture.control.metrics();
  const calls: Record<string, number> = {};
  for (const operations of Object.values(api))
    for (const [operation, m] of Object.entries(operations)) calls[operation] = (calls[operation] ?? 0) + m.calls;
  return calls;
}
