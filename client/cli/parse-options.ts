import type { CalendarSpec } from '@temporalio/client';
import { InvalidArgumentError } from 'commander';
import { CAPABILITIES, TOKEN_MINUTES, type Capability } from '../../contracts/participants';

/**
 * Argument parsers for commander: a bad value fails before anything is contacted, with the rule it broke
 * (commander reports it as a usage error, exit 2). Kept free of heavy imports: durations, which need the spec's
 * parser, are checked when the command runs (actions/duration-option.ts).
 */
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Date.parse rolls a day its month does not have over (2026-02-30 becomes March 2): refuse it instead. */
function dayExists(value: string): boolean {
  const [year, month, day] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0));
}

export function isoTime(value: string): Date {
  const at = Date.parse(value);
  if (!ISO_WITH_ZONE.test(value) || Number.isNaN(at) || !dayExists(value)) {
    throw new InvalidArgumentError('must be an ISO 8601 time with a time zone, e.g. 2026-03-12T17:00:00+01:00');
  }
  return new Date(at);
}

export function wholeMinutes(value: string): number {
  const n = Number(value);
  const { min, max } = TOKEN_MINUTES;
  if (!Number.isInteger(n) || n < min || n > max)
    throw new InvalidArgumentError(`must be whole minutes, ${min}-${max}`);
  return n;
}

export function capabilities(value: string): Capability[] {
  const list = value.split(',').map((c) => c.trim().toUpperCase());
  if (list.length === 0 || list.some((c) => !(CAPABILITIES as readonly string[]).includes(c))) {
    throw new InvalidArgumentError('must be PUBLISH, SUBSCRIBE or PUBLISH,SUBSCRIBE');
  }
  return [...new Set(list)] as Capability[];
}

export function timeZone(value: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
  } catch {
    throw new InvalidArgumentError('must be an IANA time zone such as Europe/Paris or UTC');
  }
  return value;
}

/** Show and schedule IDs are slugs; checking here beats a server error later. */
export function slugId(value: string): string {
  if (!/^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$/.test(value)) {
    throw new InvalidArgumentError('must be lowercase letters, digits and inner hyphens (at most 100)');
  }
  return value;
}

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive whole number');
  return n;
}

/** Temporal's overlap policies (ScheduleOverlapPolicy), listed here so help needs no SDK. */
export const OVERLAP_POLICIES = [
  'SKIP',
  'BUFFER_ONE',
  'BUFFER_ALL',
  'CANCEL_OTHER',
  'TERMINATE_OTHER',
  'ALLOW_ALL',
] as const;
export type OverlapPolicy = (typeof OVERLAP_POLICIES)[number];

const CALENDAR_FIELDS = ['second', 'minute', 'hour', 'dayOfMonth', 'month', 'year', 'dayOfWeek', 'comment'];

/** `--calendar '{"hour":17,"dayOfWeek":"THURSDAY"}'` or an array of such objects (Temporal's CalendarSpec). */
export function calendarJson(value: string): CalendarSpec[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (e) {
    throw new InvalidArgumentError(`must be JSON: ${(e as Error).message}`);
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  if (list.length === 0 || list.some((c) => typeof c !== 'object' || c === null || Array.isArray(c))) {
    throw new InvalidArgumentError(
      'must be a calendar object like {"hour":17,"dayOfWeek":"THURSDAY"} or an array of them',
    );
  }
  // The SDK ignores fields it does not know, so a typo ("hours") would silently mean the default: midnight.
  const unknown = (list as object[]).flatMap((c) => Object.keys(c)).filter((k) => !CALENDAR_FIELDS.includes(k));
  if (unknown.length > 0) {
    throw new InvalidArgumentError(
      `unknown calendar field ${JSON.stringify(unknown[0])}: use ${CALENDAR_FIELDS.join(', ')}`,
    );
  }
  // Fractions would be truncated on the way to the server ("hour": 1.5 means 1 o'clock): refuse them instead.
  for (const c of list as Record<string, unknown>[]) {
    for (const [field, value] of Object.entries(c)) {
      if (field === 'comment') continue;
      const fraction = numbersIn(value).find((n) => !Number.isInteger(n));
      if (fraction !== undefined)
        throw new InvalidArgumentError(`calendar field "${field}" must use whole numbers (got ${fraction})`);
    }
  }
  return list as CalendarSpec[];
}

/** Every number in a calendar field: a value, a {start, end, step} range, or a list of them. */
function numbersIn(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (Array.isArray(value)) return value.flatMap(numbersIn);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(numbersIn);
  return [];
}
