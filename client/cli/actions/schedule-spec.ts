import type { CalendarSpec, ScheduleSpec } from '@temporalio/client';
import { usageError } from '../cli-errors';

export interface WhenOptions {
  cron?: string;
  interval?: number;
  calendar?: CalendarSpec[];
  timeZone?: string;
}

/** Exactly one way of saying when: two would silently union their times. */
export function scheduleSpecOf(options: WhenOptions): ScheduleSpec {
  const given = [options.cron, options.interval, options.calendar].filter((o) => o !== undefined).length;
  if (given !== 1) throw usageError('Say when the show runs with exactly one of --cron, --interval or --calendar');
  if (options.interval !== undefined && options.interval < 1_000) throw usageError('--interval must be at least 1s');
  return {
    cronExpressions: options.cron ? [options.cron] : undefined,
    intervals: options.interval ? [{ every: options.interval }] : undefined,
    calendars: options.calendar,
    timezone: options.timeZone,
  };
}
