/**
 * Whether this Node.js runs AsyncLocalStorage on AsyncContextFrame, and the flag that turns it on where it is not the
 * default.
 *
 * Why a worker cares (issue 15, found with heap snapshots of the scale bench): with the SDK's reusable V8 context each
 * cached workflow evaluates the bundle's modules for itself, and the SDK's cancellation scopes, its event groups and
 * the OpenTelemetry interceptors each create an AsyncLocalStorage there — about three per cached workflow, enabled
 * until it is evicted. Without AsyncContextFrame (Node 20; Node 22 unless flagged), Node's AsyncLocalStorage writes
 * one property per enabled instance onto every promise created (its init hook propagates each store), so a promise
 * costs O(cached workflows) in memory and CPU, and the worker O(cached workflows²): 12 KB per promise with 300
 * instances, 49 KB with 1,000 (bench/floor/async-local-storage-cost.ts prints these figures). With AsyncContextFrame
 * (the default from Node 24; `--experimental-async-context-frame` on Node 22) a promise holds one reference to its
 * frame, whatever the number of instances.
 */

/** The Node.js flag that turns AsyncContextFrame on in the lines where it is off by default (22 and 23). */
export const ASYNC_CONTEXT_FRAME_FLAG = '--experimental-async-context-frame';
const OFF_FLAG = '--no-async-context-frame';
/** The first release of the 22 line that knows the flag. */
const FLAG_SINCE_22 = 7;

const majorMinor = (version: string): [number, number] => {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return [major, minor];
};

/** Whether a Node.js of this version, started with these flags, runs AsyncLocalStorage on AsyncContextFrame. */
export function asyncContextFrameActive(
  version: string = process.versions.node,
  flags: readonly string[] = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)],
): boolean {
  const [major] = majorMinor(version);
  if (flags.includes(OFF_FLAG)) return false;
  if (major >= 24) return true;
  return flagAvailable(version) && flags.includes(ASYNC_CONTEXT_FRAME_FLAG);
}

/** Whether this version knows ASYNC_CONTEXT_FRAME_FLAG (22.7 and later; 24 and later take it as the default). */
export function flagAvailable(version: string = process.versions.node): boolean {
  const [major, minor] = majorMinor(version);
  return major > 22 || (major === 22 && minor >= FLAG_SINCE_22);
}

/** The flags to start a worker with on this version: the one that turns AsyncContextFrame on, where it is needed. */
export function asyncContextFrameFlags(version: string = process.versions.node): string[] {
  const [major] = majorMinor(version);
  return major < 24 && flagAvailable(version) ? [ASYNC_CONTEXT_FRAME_FLAG] : [];
}

/** What the worker logs at start-up when AsyncContextFrame is off; nothing when it is on. */
export function asyncContextWarning(
  version: string = process.versions.node,
  flags?: readonly string[],
): string | undefined {
  if (asyncContextFrameActive(version, flags)) return undefined;
  const fix = flagAvailable(version)
    ? `start it with ${ASYNC_CONTEXT_FRAME_FLAG} (node ${ASYNC_CONTEXT_FRAME_FLAG} dist/worker/main.js, or in NODE_OPTIONS) or run Node.js 24`
    : 'run it on Node.js 24 (or 22 with ' + ASYNC_CONTEXT_FRAME_FLAG + ')';
  return (
    `Node.js ${version} runs AsyncLocalStorage without AsyncContextFrame: every promise carries a property per ` +
    `cached workflow, so memory and CPU per workflow grow with the number cached; ${fix}`
  );
}
