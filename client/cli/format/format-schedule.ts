import type { ScheduleDescription, ScheduleSpecDescription } from '@temporalio/client';
import { formatDuration } from '../../../show-spec/durations';
import type { ScheduledShowInput } from '../../../workflows';
import { scheduledShowId } from '../../../contracts/ids';
import { shortTime } from '../output';

type Ranges = { start: number | string; end: number | string; step: number }[];

function ranges(name: string, list: Ranges, all: string): string | undefined {
  const text = list
    .map((r) => (r.start === r.end ? `${r.start}` : `${r.start}-${r.end}`) + (r.step > 1 ? `/${r.step}` : ''))
    .join(',');
  return text === all ? undefined : `${name}=${text}`;
}

/** One line per rule, in the words of the options that made it. */
export function describeWhen(spec: ScheduleSpecDescription): string[] {
  const lines = (spec.intervals ?? []).map(
    (i) => `every ${formatDuration(i.every)}${i.offset ? ` (offset ${formatDuration(i.offset)})` : ''}`,
  );
  for (const c of spec.calendars ?? []) {
    const parts = [
      ranges('second', c.second, '0'),
      ranges('minute', c.minute, '0'),
      ranges('hour', c.hour, '0'),
      ranges('dayOfMonth', c.dayOfMonth, '1-31'),
      ranges('month', c.month, 'JANUARY-DECEMBER'),
      ranges('year', c.year, ''),
      ranges('dayOfWeek', c.dayOfWeek, 'SUNDAY-SATURDAY'),
    ].filter(Boolean);
    lines.push(`calendar ${parts.join(' ') || 'every day at 00:00:00'}${c.comment ? ` (${c.comment})` : ''}`);
  }
  return lines;
}

/** What an operator asks of a schedule: when, which show, what it did and will do, as show IDs. */
export function scheduleView(d: ScheduleDescription) {
  const input = d.action.args?.[0] as ScheduledShowInput | undefined;
  const showIdAt = (at: Date) => scheduledShowId(d.scheduleId, at);
  return {
    scheduleId: d.scheduleId,
    paused: d.state.paused,
    note: d.state.note || undefined,
    when: describeWhen(d.spec),
    timeZone: d.spec.timezone || 'UTC',
    overlap: d.policies.overlap,
    catchupWindowMs: d.policies.catchupWindow,
    taskQueue: d.action.taskQueue,
    template: input && {
      id: input.spec.id,
      name: input.spec.name,
      durationMs: input.spec.schedule.duration,
    },
    actionsTaken: d.info.numActionsTaken,
    skippedOverlap: d.info.numActionsSkippedOverlap,
    missedCatchupWindow: d.info.numActionsMissedCatchupWindow,
    nextRuns: d.info.nextActionTimes.map((at) => ({ at: shortTime(at), showId: showIdAt(at) })),
    recentRuns: d.info.recentActions.map((a) => ({
      scheduledAt: shortTime(a.scheduledAt),
      takenAt: shortTime(a.takenAt),
      showId: showIdAt(a.scheduledAt),
      starterWorkflowId: a.action.workflow.workflowId,
    })),
    runningStarters: d.info.runningActions.map((a) => a.workflow.workflowId),
  };
}

export function formatSchedule(view: ReturnType<typeof scheduleView>): string[] {
  return [
    `Schedule ${view.scheduleId} (${view.paused ? `paused${view.note ? `: ${view.note}` : ''}` : 'active'})`,
    `  When:         ${view.when.join('; ') || 'never'} (time zone ${view.timeZone})`,
    `  Overlap:      ${view.overlap}, catch-up window ${formatDuration(view.catchupWindowMs)}`,
    `  Show:         ${view.template ? `${view.template.name} (template ${view.template.id}), ${formatDuration(view.template.durationMs ?? 0)} each` : 'not a Showrunner schedule'}, task queue ${view.taskQueue}`,
    `  Runs:         ${view.actionsTaken} taken, ${view.skippedOverlap} skipped (overlap), ${view.missedCatchupWindow} missed (catch-up window)`,
    `  Next runs:${view.nextRuns.length === 0 ? '    none' : ''}`,
    ...view.nextRuns.slice(0, 5).map((r) => `    ${r.at}  show ${r.showId}`),
    `  Recent runs:${view.recentRuns.length === 0 ? '  none' : ''}`,
    ...view.recentRuns.map((r) => `    ${r.scheduledAt}  show ${r.showId}`),
  ];
}
