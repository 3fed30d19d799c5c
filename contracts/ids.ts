/**
 * How Showrunner names things in Temporal and IVS. The CLI, the events endpoint and the workflows all find a show
 * or a monitor by these names, so they are built here and nowhere else.
 */

/** A show ID is a slug: it becomes part of workflow IDs and IVS resource names. */
export const SHOW_ID_MAX_LENGTH = 48;
export const SHOW_ID_PATTERN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/** A show's workflow: one per show ID, so starting a show twice is refused by Temporal. */
export const workflowIdForShow = (showId: string) => `show-${showId}`;

/**
 * One composition monitor per account and region (per deployment, i.e. monitor task queue): its ListCompositions
 * polls serve every show there.
 */
export function compositionMonitorWorkflowId(taskQueue: string, accountId: string, region: string): string {
  return `composition-monitor-${taskQueue}-${accountId}-${region}`;
}

/** Idempotency token of a show's n-th composition: same execution and attempt number, same composition. */
export function compositionToken(runKey: string, n: number): string {
  return `${runKey}-c${n}`.slice(0, 64);
}

const STAMP_LENGTH = 14;

/** FNV-1a: keeps two long schedule IDs with the same prefix apart after truncation. */
function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(36).padStart(7, '0').slice(-6);
}

/**
 * The show ID of a schedule's run at `scheduledAt`: a slug of at most SHOW_ID_MAX_LENGTH characters. Seconds are
 * kept because interval schedules may fire more than once a minute; a schedule ID too long for the room left is
 * cut and suffixed with a hash of the whole ID.
 */
export function scheduledShowId(scheduleId: string, scheduledAt: Date): string {
  const stamp = scheduledAt.toISOString().replace(/\D/g, '').slice(0, STAMP_LENGTH);
  const room = SHOW_ID_MAX_LENGTH - STAMP_LENGTH - 1;
  let base =
    scheduleId
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'show';
  if (base.length > room) base = `${base.slice(0, room - 7).replace(/-+$/, '')}-${shortHash(scheduleId)}`;
  return `${base}-${stamp}`;
}
