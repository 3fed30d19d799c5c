import type { Capability } from '../../../contracts/participants';
import { endUpdate, extendUpdate, issueTokenUpdate } from '../../../contracts/show-messages';
import type { ActionBody } from '../cli-action';
import { failedError } from '../cli-errors';
import { shortTime } from '../output';
import { JANITOR_SCHEDULE_ID } from '../../janitor-schedule';
import { findShow } from './show-handle';
import { stalledReason } from './show-progress';

/** A closed workflow takes no updates or cancellation; saying so beats the server's wording. */
function requireRunning(showId: string, status: string): void {
  if (status !== 'RUNNING') {
    throw failedError(`Show ${showId} is no longer running (${status}): see \`showrunner status ${showId}\``);
  }
}

export const endAction: ActionBody<{ reason?: string }> = async (ctx, [showId], options) => {
  const { handle, description } = await findShow(await ctx.client(), showId!);
  requireRunning(showId!, description.status.name);
  const ended = await handle.executeUpdate(endUpdate, { args: [{ reason: options.reason }] });
  ctx.out.result({ showId, endAt: ended.endAt }, () => [
    `Show ${showId} is ending (requested at ${shortTime(ended.endAt)})`,
    `Next: showrunner status ${showId} --watch`,
  ]);
};

export const extendAction: ActionBody<{ until: Date }> = async (ctx, [showId], options) => {
  const { handle, description } = await findShow(await ctx.client(), showId!);
  requireRunning(showId!, description.status.name);
  const extended = await handle.executeUpdate(extendUpdate, { args: [{ endAt: options.until.toISOString() }] });
  ctx.out.result({ showId, endAt: extended.endAt }, () => `Show ${showId} now ends at ${shortTime(extended.endAt)}`);
};

const janitorHint =
  `The janitor removes Showrunner-tagged stages, ingest configurations and compositions of shows that no longer ` +
  `run, after its grace period: \`temporal schedule trigger --schedule-id ${JANITOR_SCHEDULE_ID}\` (README, "Janitor")`;

export const cancelAction: ActionBody<unknown> = async (ctx, [showId]) => {
  const client = await ctx.client({ payloads: false });
  const { handle, description } = await findShow(client, showId!);
  requireRunning(showId!, description.status.name);
  await handle.cancel();
  const stalled = await stalledReason(client, description).catch(() => undefined);
  ctx.out.result({ showId, cancelRequested: true, ...(stalled ? { notMakingProgress: stalled } : {}) }, () => [
    `Cancellation of show ${showId} requested: it tidies up and ends CANCELLED`,
    ...(stalled
      ? [
          `The show is not making progress: ${stalled}.`,
          `Cancellation takes effect only once a worker runs the show. If it stays stuck: ` +
            `showrunner terminate ${showId} --reason '…' (stops it at once and tidies up nothing)`,
        ]
      : []),
    `Next: showrunner status ${showId} --watch`,
  ]);
};

/** For a wedged show: the workflow stops at once, no tidy-up runs, so whatever it made stays until the janitor. */
export const terminateAction: ActionBody<{ reason: string }> = async (ctx, [showId], options) => {
  const { handle, description } = await findShow(await ctx.client({ payloads: false }), showId!);
  requireRunning(showId!, description.status.name);
  await handle.terminate(options.reason);
  ctx.out.result({ showId, terminated: true, reason: options.reason }, () => [
    `Show ${showId} terminated: its workflow stopped at once and tidied up nothing.`,
    `Its stage, ingest configuration and composition, if it had made them, still exist (and a live composition still costs).`,
    janitorHint,
  ]);
};

/**
 * The token is a secret: it goes to stdout once and nowhere else (no log, no error message), so
 * `showrunner token x --user bob | pbcopy` hands it over without a trace on the terminal.
 */
export const tokenAction: ActionBody<{ user: string; duration?: number; capabilities?: Capability[] }> = async (
  ctx,
  [showId],
  options,
) => {
  const { handle, description } = await findShow(await ctx.client(), showId!);
  requireRunning(showId!, description.status.name);
  const issued = await handle.executeUpdate(issueTokenUpdate, {
    args: [{ userId: options.user, durationMinutes: options.duration, capabilities: options.capabilities }],
  });
  if (ctx.out.json) {
    process.stdout.write(`${JSON.stringify(issued)}\n`);
    return;
  }
  process.stdout.write(`${issued.token}\n`);
  ctx.out.note(
    `Token for ${issued.userId} (participant ${issued.participantId}), expires ${shortTime(issued.expiresAt)}`,
  );
};
