/**
 * How often the composition monitor polls an account and region, and how closely its ListCompositions calls may
 * follow each other: one decision, used by the workflow (its poll interval) and by the activity (the spacing of
 * its calls).
 *
 * IVS allows 5 ListCompositions calls per second per account and region, not adjustable (the API rates in
 * shared/reference/ivs-realtime.md; the emulator enforces them). The monitor takes at most
 * MONITOR_LIST_CALLS_PER_SECOND of that; the rest is for the shows' sweeps (one ListCompositions per page at most every
 * LIST_PAGE_SPACING_MS, activities/show-sweep-activities.ts) and the janitor in the same account and region.
 */
export const LIST_COMPOSITIONS_TPS = 5;

/** The monitor's share of LIST_COMPOSITIONS_TPS in one account and region. */
export const MONITOR_LIST_CALLS_PER_SECOND = 2;

/**
 * The monitor polls at least this often, whatever the shows' own poll interval (10 s by default). A change then
 * waits at most 5 s to be seen, which leaves half of the 10 s in which every show must hear of a change for the
 * signals and the shows' reactions (BENCHMARKS.md, burst). It costs 0.2 ListCompositions per second per account and
 * region, and one activity attempt per 5 s per monitor against the worker's monitor budget
 * (SHOWRUNNER_MONITOR_ACTIVITIES_PER_SECOND): 56 monitors (1,000 shows) take 11.2 of the 20 per second the
 * benchmarks run with.
 */
export const MONITOR_POLL_INTERVAL_MS = 5_000;

/** ListCompositions' largest page (its maxResults maximum). */
export const LIST_COMPOSITIONS_PAGE = 100;

/**
 * The monitor's poll interval: the shows' shortest, or MONITOR_POLL_INTERVAL_MS if that is shorter, but never
 * below what the monitor's share allows for the pages a poll needs. Per interval the monitor may send one poll's
 * pages and as many again for a poll an event brought forward (at most once per interval), so two polls' pages must
 * fit in an interval at MONITOR_LIST_CALLS_PER_SECOND. The pages are counted from the watched compositions; an
 * account holding many more than it watches takes longer per poll (the activity holds the monitor to
 * MONITOR_LIST_CALLS_PER_SECOND in any second), not more calls per second.
 */
export function monitorPollIntervalMs(watchIntervalsMs: readonly number[], watched: number): number {
  const pages = Math.max(1, Math.ceil(watched / LIST_COMPOSITIONS_PAGE));
  const floorMs = Math.ceil((2 * pages * 1_000) / MONITOR_LIST_CALLS_PER_SECOND);
  return Math.max(floorMs, Math.min(MONITOR_POLL_INTERVAL_MS, ...watchIntervalsMs));
}
