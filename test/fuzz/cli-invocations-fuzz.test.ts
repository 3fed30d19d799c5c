import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client, Connection, ScheduleNotFoundError } from '@temporalio/client';
import type { Command } from 'commander';
import fc from 'fast-check';
import { stringify as toYaml } from 'yaml';
import { buildProgram } from '../../client/cli/program';
import { capabilities, positiveInt, slugId, timeZone, wholeMinutes } from '../../client/cli/parse-options';
import { runCliInProcess, type InProcessResult } from '../cli/run-in-process';
import { parseDuration } from '../../show-spec/durations';
import { parseShowSpecText } from '../../show-spec/parse-show-spec';
import { cliEnv, runAll } from '../cli/cli-runner';
import { TEST_KEY_RING_ENV } from '../support/show-harness';
import { testTemporalEnv } from '../support/test-env';

/**
 * Property-based checks of the CLI's input handling: generated invalid invocations (unknown commands and options,
 * missing or extra arguments, bad times, durations, choices, cron and calendar specs, conflicting options, broken
 * spec files) all end with exit code 2 and a message on stderr saying what is wrong, start nothing, and never
 * throw. They run in this process (test/cli/run-in-process.ts); a sample also runs as real processes to show
 * that the two agree.
 *
 * The seed is fixed so a failure reproduces; set SHOWRUNNER_FUZZ_SEED to explore others.
 */
const SEED = Number(process.env.SHOWRUNNER_FUZZ_SEED ?? 20_250_603);
/** Invocations refused before anything is contacted. */
const OFFLINE_RUNS = 1_000;
/** Bad cron and calendar values only Temporal can judge: each connects, so fewer. */
const CONNECTING_RUNS = 40;
const SUBPROCESS_SAMPLE = 20;
const HOUR = 60 * 60_000;

/**
 * This run's show and schedule id: a case wrongly accepted acts on nothing of anyone else's, and is cleaned up.
 */
const RUN = randomBytes(3).toString('hex');
const TARGET = `cli-fuzz-${RUN}`;
/** Stands for a file path until the case's files are written. */
const OK_SPEC = '<ok-spec>';
const CASE_FILE = '<case-file>';

interface Case {
  family: string;
  args: string[];
  /** Must match the error message (in --json mode, the message and issues of the JSON error). */
  expect: RegExp;
  /** Content of CASE_FILE, with its extension. */
  file?: { ext: string; content: string };
  /** Spec errors must also list the failing fields. */
  listsIssues?: boolean;
}

// ---- what the program accepts, read from the program itself ----

interface Leaf {
  path: string[];
  args: { name: string; required: boolean }[];
  options: { flag: string; takesValue: boolean; mandatory: boolean }[];
}
const program = buildProgram(false);
const GLOBAL_FLAGS = ['--help', '-h', ...program.options.flatMap((o) => [o.long, o.short])].filter(
  (f): f is string => !!f,
);
function leaves(command: Command, prefix: string[] = []): Leaf[] {
  return command.commands.flatMap((c) => {
    const here = [...prefix, c.name()];
    if (c.commands.length > 0) return leaves(c, here);
    return [
      {
        path: here,
        args: c.registeredArguments.map((a) => ({ name: a.name(), required: a.required })),
        options: c.options.map((o) => ({ flag: o.long!, takesValue: o.required, mandatory: o.mandatory })),
      },
    ];
  });
}
const LEAVES = leaves(program);
const GROUPS: Record<string, string[]> = {
  '': program.commands.map((c) => c.name()),
  schedule: program.commands.find((c) => c.name() === 'schedule')!.commands.map((c) => c.name()),
};

// ---- valid pieces, for invocations broken in one place only ----

const pad = (n: number) => String(n).padStart(2, '0');
/** `ms` written in the zone `offsetMinutes` away from UTC, to the second. */
function isoAt(ms: number, offsetMinutes = 0): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const off = Math.abs(offsetMinutes);
  return `${local}${offsetMinutes === 0 ? 'Z' : `${sign}${pad(Math.trunc(off / 60))}:${pad(off % 60)}`}`;
}
const FUTURE = isoAt(Date.now() + 2 * HOUR);
const PAST_FROM = '2026-01-01T00:00:00Z';
const PAST_TO = '2026-01-02T00:00:00Z';
const id = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,18}[a-z0-9]$/);
const offset = fc.oneof(fc.constant(0), fc.integer({ min: -12 * 60, max: 14 * 60 }));

/** Values for a leaf's arguments and mandatory options, so it parses as far as the part a case breaks. */
function validArgs(leaf: Leaf): string[] {
  const positional = leaf.args.map((a) => (a.name === 'spec' ? OK_SPEC : TARGET));
  const mandatory = leaf.options.filter((o) => o.mandatory).flatMap((o) => [o.flag, VALID_VALUE[o.flag] ?? 'x']);
  const extra = leaf.path.join(' ') === 'schedule create' ? ['--interval', '1h'] : [];
  return [...leaf.path, ...positional, ...mandatory, ...extra];
}
const VALID_VALUE: Record<string, string> = {
  '--until': FUTURE,
  '--user': 'bob',
  '--from': PAST_FROM,
  '--to': PAST_TO,
  '--regions': 'us-east-1',
};
const leafArb = fc.constantFrom(...LEAVES);

// ---- invalid invocation families ----

/** An option value starting with a dash may be read as an option itself: a different error, left out here. */
const notDashed = (s: string) => !s.startsWith('-');
/**
 * Whether `check` refuses the value. Used where the CLI's parser is the documented rule itself (whole minutes,
 * positive numbers, capabilities, IANA zones, slugs), so generated values the rule happens to take are dropped.
 */
const guard =
  (check: (v: string) => unknown) =>
  (v: string): boolean => {
    try {
      check(v);
      return false;
    } catch {
      return true;
    }
  };
/**
 * Independent of the CLI's parser, which is what is under test: an ISO 8601 time with a zone whose date exists and
 * whose fields are in range. End-of-day 24:00 is left out of the cases (ISO 8601 editions disagree on it).
 */
const ISO_PARTS = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):(\d{2}))$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
function isoTimeIsValid(v: string): boolean {
  const m = ISO_PARTS.exec(v);
  if (!m) return false;
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = m.slice(1).map((x) => Number(x ?? 0));
  const days = month === 2 && isLeap(year!) ? 29 : (DAYS_IN_MONTH[month! - 1] ?? 0);
  return (
    day! >= 1 &&
    day! <= days &&
    hour! <= 23 &&
    minute! <= 59 &&
    second! <= 59 &&
    offsetHours! <= 23 &&
    offsetMinutes! <= 59
  );
}
const endOfDay = (v: string) => /T24:00(:00(\.0+)?)?(Z|[+-])/.test(v);
/** Temporal's CalendarSpec fields; anything else in --calendar is a typo the SDK would silently ignore. */
const CALENDAR_FIELDS = ['second', 'minute', 'hour', 'dayOfMonth', 'month', 'year', 'dayOfWeek', 'comment'];
function calendarJsonIsInvalid(v: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(v);
  } catch {
    return true;
  }
  const list = Array.isArray(parsed) ? (parsed as unknown[]) : [parsed];
  return (
    list.length === 0 ||
    list.some(
      (c) =>
        typeof c !== 'object' ||
        c === null ||
        Array.isArray(c) ||
        Object.keys(c).some((k) => !CALENDAR_FIELDS.includes(k)),
    )
  );
}
const word = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/),
  fc.constantFrom('START', 'Status', 'ls', 'rm', 'stop', 'run', 'show', 'shows', 'schedules', 'create', 'tokens'),
);

const missingCommand = fc
  .constantFrom<string[]>([], ['schedule'])
  .map((args): Case => ({ family: 'missing command', args, expect: /Usage: showrunner/ }));

const unknownCommand = fc
  .tuple(fc.constantFrom('', 'schedule'), word)
  .filter(([group, w]) => !GROUPS[group]!.includes(w) && w !== 'help')
  .map(([group, w]): Case => ({
    family: 'unknown command',
    args: [...(group ? [group] : []), w],
    expect: /unknown command '/,
  }));

const unknownOption = fc
  .tuple(
    leafArb,
    fc.oneof(
      fc.stringMatching(/^[a-z][a-z0-9-]{0,14}$/).map((n) => `--${n}`),
      fc.constantFrom(...'abcdefgijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ').map((c) => `-${c}`),
      fc.constantFrom('--JSON', '--Json', '--jsonn', '--task_queue', '--taskQueue', '--help-me', '--no-json'),
    ),
    fc.option(fc.stringMatching(/^[a-z0-9]{0,6}$/), { nil: undefined }),
    fc.boolean(),
  )
  .filter(([leaf, flag]) => !GLOBAL_FLAGS.includes(flag) && !leaf.options.some((o) => o.flag === flag))
  .map(([leaf, flag, value, atEnd]): Case => {
    const option = value === undefined || !flag.startsWith('--') ? flag : `${flag}=${value}`;
    const args = validArgs(leaf);
    const at = atEnd ? args.length : leaf.path.length;
    return {
      family: 'unknown option',
      args: [...args.slice(0, at), option, ...args.slice(at)],
      expect: /unknown option '/,
    };
  });

const excessArguments = fc
  .tuple(leafArb, fc.array(fc.stringMatching(/^[a-z0-9][a-z0-9./-]{0,10}$/), { minLength: 1, maxLength: 3 }))
  .map(([leaf, extra]): Case => ({
    family: 'too many arguments',
    args: [...validArgs(leaf), ...extra],
    expect: /too many arguments for '/,
  }));

const missingArgument = leafArb
  .filter((leaf) => leaf.args.some((a) => a.required))
  .chain((leaf) => fc.tuple(fc.constant(leaf), fc.integer({ min: 0, max: leaf.args.length - 1 })))
  .map(([leaf, keep]): Case => {
    // Keep the first `keep` arguments: the next one is missing.
    const full = validArgs(leaf);
    const options = full.slice(leaf.path.length + leaf.args.length);
    const positional = full.slice(leaf.path.length, leaf.path.length + keep);
    return {
      family: 'missing argument',
      args: [...leaf.path, ...positional, ...options],
      expect: /missing required argument '/,
    };
  });

const missingMandatoryOption = leafArb
  .filter((leaf) => leaf.options.some((o) => o.mandatory))
  .chain((leaf) => fc.tuple(fc.constant(leaf), fc.constantFrom(...leaf.options.filter((o) => o.mandatory))))
  .map(([leaf, dropped]): Case => {
    const args = validArgs(leaf);
    const i = args.indexOf(dropped.flag);
    return {
      family: 'missing required option',
      args: [...args.slice(0, i), ...args.slice(i + 2)],
      expect: new RegExp(`required option '${dropped.flag} <\\w+>' not specified`),
    };
  });

const optionWithoutValue = fc
  .tuple(leafArb, fc.constantFrom(...program.options.filter((o) => o.required).map((o) => o.long!)), fc.boolean())
  .chain(([leaf, globalFlag, useGlobal]) => {
    const own = leaf.options.filter((o) => o.takesValue).map((o) => o.flag);
    const flags = useGlobal || own.length === 0 ? [globalFlag] : own;
    return fc.tuple(fc.constant(leaf), fc.constantFrom(...flags));
  })
  .map(([leaf, flag]): Case => {
    const args = validArgs(leaf);
    const i = args.indexOf(flag);
    // The option goes last, without its value (if the valid invocation had it, it loses the value).
    const rest = i < 0 ? args : [...args.slice(0, i), ...args.slice(i + 2)];
    return {
      family: 'option without its value',
      args: [...rest, flag],
      expect: /option '--[\w-]+ <[^>]+>' argument missing/,
    };
  });

const SHOW_PHASES = [
  ...(program.commands.find((c) => c.name() === 'list')!.options.find((o) => o.long === '--phase')!.argChoices ?? []),
];
const badChoice = fc
  .tuple(
    fc.constantFrom(
      ['list', '--phase'],
      ['schedule', 'create', TARGET, OK_SPEC, '--interval', '1h', '--overlap'],
      ['schedule', 'backfill', TARGET, '--from', PAST_FROM, '--to', PAST_TO, '--overlap'],
    ),
    fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom(...SHOW_PHASES, 'SKIP', 'ALLOW_ALL', 'BUFFER_ONE').map((c) => c.toLowerCase()),
      fc.constantFrom('LIVE ', ' SKIP', 'BUFFER-ONE', 'ALLOW', 'SKIP,BUFFER_ALL', 'COMPLETE'),
    ),
  )
  .filter(
    ([, v]) =>
      notDashed(v) &&
      ![...SHOW_PHASES, 'SKIP', 'BUFFER_ONE', 'BUFFER_ALL', 'CANCEL_OTHER', 'TERMINATE_OTHER', 'ALLOW_ALL'].includes(v),
  )
  .map(([prefix, v]): Case => ({
    family: 'bad choice',
    args: [...prefix, v],
    expect: /argument '.*' is invalid\. Allowed choices are /,
  }));

/** Ways to spoil a valid ISO time that Date.parse or a careless regex might still take. */
const SPOILERS: ((iso: string) => string)[] = [
  (s) => s.replace(/(Z|[+-]\d\d:\d\d)$/, ''),
  (s) => s.replace('T', ' '),
  (s) => s.slice(0, 10),
  (s) => s.replace(/^(\d{4})-\d\d/, '$1-13'),
  (s) => s.replace(/^(\d{4}-\d\d)-\d\d/, '$1-32'),
  (s) => s.replace(/^(\d{4}-\d\d)-\d\d/, '$1-00'),
  (s) => s.replace(/^(\d{4})-\d\d-\d\d/, '$1-02-30'),
  (s) => s.replace(/^(\d{4})-\d\d-\d\d/, '$1-04-31'),
  (s) => s.replace(/^\d{4}-\d\d-\d\d/, '2027-02-29'),
  (s) => s.replace(/T\d\d/, 'T25'),
  (s) => s.replace(/T(\d\d):\d\d/, 'T$1:60'),
  (s) => s.replace(/(Z|[+-]\d\d:\d\d)$/, '+25:00'),
  (s) => s.replace(/(Z|[+-]\d\d:\d\d)$/, '+01'),
  (s) => s.replace(/^\d\d/, ''),
  (s) => `+0${s}`,
  (s) => ` ${s}`,
  (s) => `${s}x`,
  (s) => s.toLowerCase(),
  (s) => s.replaceAll('-', '/'),
  (s) => String(Date.parse(s)),
  (s) => new Date(s).toUTCString(),
  () => 'now',
  () => 'tomorrow 5pm',
  () => '',
];
const badTime = fc
  .oneof(
    fc
      .tuple(
        fc.integer({ min: -50 * 365 * 24 * HOUR, max: 50 * 365 * 24 * HOUR }),
        offset,
        fc.constantFrom(...SPOILERS),
      )
      .map(([d, o, spoil]) => spoil(isoAt(Date.now() + d, o))),
    fc.string({ maxLength: 25 }),
  )
  .filter((v) => notDashed(v) && !isoTimeIsValid(v) && !endOfDay(v));
const badIsoTime = fc
  .tuple(
    fc.constantFrom(
      (v: string) => ['start', OK_SPEC, '--at', v],
      (v: string) => ['extend', TARGET, '--until', v],
      (v: string) => ['schedule', 'backfill', TARGET, '--from', v, '--to', PAST_TO],
      (v: string) => ['schedule', 'backfill', TARGET, '--from', PAST_FROM, '--to', v],
    ),
    badTime,
  )
  .map(([build, v]): Case => ({
    family: 'bad ISO time',
    args: build(v),
    expect: /must be an ISO 8601 time with a time zone/,
  }));

const numberish = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }).map(String),
  fc.double({ noNaN: true, min: -1e6, max: 1e6 }).map(String),
  fc.constantFrom('', ' ', 'abc', '1e9', 'NaN', 'Infinity', '60m', '1h', '1,5', '20161', '0'),
  fc.string({ maxLength: 8 }),
);
const badNumbers = fc.oneof(
  numberish
    .filter((v) => (notDashed(v) || /^-\d/.test(v)) && guard(wholeMinutes)(v))
    .map((v): Case => ({
      family: 'bad token minutes',
      args: ['token', TARGET, '--user', 'bob', '--duration', v],
      expect: /must be whole minutes, 1-20160/,
    })),
  numberish
    .filter((v) => (notDashed(v) || /^-\d/.test(v)) && guard(positiveInt)(v))
    .map((v): Case => ({
      family: 'bad limit',
      args: ['list', '--limit', v],
      expect: /must be a positive whole number/,
    })),
);

const badCapabilities = fc
  .oneof(
    fc.constantFrom('ADMIN', 'PUBLISH,ADMIN', ',', '', 'PUBLISH;SUBSCRIBE', 'PUBLISH SUBSCRIBE', 'publish,', 'READ'),
    fc
      .array(fc.constantFrom('PUBLISH', 'SUBSCRIBE', 'publish', 'x', '', ' '), { minLength: 1, maxLength: 4 })
      .map((l) => l.join(',')),
    fc.string({ maxLength: 10 }),
  )
  .filter((v) => notDashed(v) && guard(capabilities)(v))
  .map((v): Case => ({
    family: 'bad capabilities',
    args: ['token', TARGET, '--user', 'bob', '--capabilities', v],
    expect: /must be PUBLISH, SUBSCRIBE or PUBLISH,SUBSCRIBE/,
  }));

const badTimeZone = fc
  .oneof(
    fc.constantFrom('Mars/Olympus', 'UTC+25', 'GMT+99', 'Europe/Pariss', 'America/New York', 'CEST', 'Local', ''),
    fc.stringMatching(/^[A-Za-z_]{1,10}\/[A-Za-z_]{1,10}$/),
    fc.string({ maxLength: 12 }),
  )
  .filter((v) => notDashed(v) && guard(timeZone)(v))
  .map((v): Case => ({
    family: 'bad time zone',
    args: ['schedule', 'create', TARGET, OK_SPEC, '--cron', '0 17 * * *', '--time-zone', v],
    expect: /must be an IANA time zone/,
  }));

const badScheduleId = fc
  .oneof(
    id.map((s) => s.toUpperCase()),
    id.map((s) => `${s}_x`),
    id.map((s) => `${s}-`),
    id.map((s) => `${s} x`),
    fc.integer({ min: 101, max: 300 }).map((n) => 'a'.repeat(n)),
    fc.constantFrom('', 'é', 'show.1', 'a--', 'a/b', 'émission'),
    fc.string({ maxLength: 12 }),
  )
  .filter((v) => notDashed(v) && guard(slugId)(v))
  .map((v): Case => ({
    family: 'bad schedule id',
    args: ['schedule', 'create', v, OK_SPEC, '--interval', '1h'],
    expect: /must be lowercase letters, digits and inner hyphens/,
  }));

const durationText = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.constantFrom(
    '',
    ' ',
    'often',
    'forever',
    '1 fortnight',
    'P',
    'PT',
    'P1H',
    '1h30',
    'h',
    '0',
    '0s',
    'PT0S',
    '1e400d',
  ),
);
const badDurations = fc.oneof(
  fc
    .tuple(fc.constantFrom('--interval', '--duration', '--catchup-window'), durationText)
    .filter(([, v]) => notDashed(v) && !(v.trim() !== '' && (parseDuration(v) ?? 0) > 0))
    .map(([flag, v]): Case => ({
      family: 'bad duration',
      args: [
        'schedule',
        'create',
        TARGET,
        OK_SPEC,
        ...(flag === '--interval' ? [] : ['--cron', '0 17 * * *']),
        flag,
        v,
      ],
      expect: new RegExp(`${flag} must be a duration like`),
    })),
  fc.constantFrom('1ms', '999ms', '0.5s', 'PT0.5S', '0.9 seconds').map((v): Case => ({
    family: 'interval too short',
    args: ['schedule', 'create', TARGET, OK_SPEC, '--interval', v],
    expect: /--interval must be at least 1s/,
  })),
  fc.constantFrom('1ms', '1s', '9s', '9999ms', 'PT9.5S').map((v): Case => ({
    family: 'catch-up window too short',
    args: ['schedule', 'create', TARGET, OK_SPEC, '--interval', '1h', '--catchup-window', v],
    expect: /--catchup-window must be at least 10s/,
  })),
  fc.constantFrom('1s', '59s', '25h', '2d', 'PT24H1S', '1y').map((v): Case => ({
    family: 'show duration out of range',
    args: ['schedule', 'create', TARGET, OK_SPEC, '--interval', '1h', '--duration', v],
    expect: /schedule\.duration: must be between 1m and 1d/,
    listsIssues: true,
  })),
);

const badCalendarJson = fc
  .oneof(
    fc.constantFrom('{nope', "{'hour':17}", '{"hour":17,}', '{hour:17}', '', '[', '{"hour":17}}', 'undefined'),
    fc.constantFrom('17', '"17:00"', 'null', 'true', '[]', '[1]', '[{"hour":1},2]', '[null]', '[[]]'),
    fc.constantFrom(
      '{"hours":17}',
      '{"day":1}',
      '{"dayOfweek":"MONDAY"}',
      '{"weekday":"MONDAY"}',
      '[{"hour":1},{"min":5}]',
    ),
    fc
      .dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 23 }), {
        minKeys: 1,
        maxKeys: 3,
      })
      .map((d) => JSON.stringify(d)),
    fc.string({ maxLength: 15 }),
  )
  .filter((v) => notDashed(v) && calendarJsonIsInvalid(v))
  .map((v): Case => ({
    family: 'bad calendar JSON',
    args: ['schedule', 'create', TARGET, OK_SPEC, '--calendar', v],
    expect: /must be JSON|must be a calendar object|unknown calendar field/,
  }));

const WHEN: Record<string, string[]> = {
  cron: ['--cron', '0 17 * * *'],
  interval: ['--interval', '1h'],
  calendar: ['--calendar', '{"hour":17}'],
};
const whenConflict = fc
  .shuffledSubarray(Object.keys(WHEN))
  .filter((ways) => ways.length !== 1)
  .map((ways): Case => ({
    family: 'not exactly one of --cron/--interval/--calendar',
    args: ['schedule', 'create', TARGET, OK_SPEC, ...ways.flatMap((w) => WHEN[w]!)],
    expect: /exactly one of --cron, --interval or --calendar/,
  }));

const backfillBackwards = fc
  .tuple(fc.integer({ min: 0, max: 10 * 365 * 24 * HOUR }), fc.integer({ min: 0, max: 30 * 24 * HOUR }), offset, offset)
  .map(([fromAgo, span, o1, o2]): Case => {
    const to = Date.now() - fromAgo - 3 * HOUR;
    return {
      family: 'backfill --from not before --to',
      args: [
        'schedule',
        'backfill',
        TARGET,
        '--from',
        isoAt(to + Math.floor(span / 1000) * 1000, o1),
        '--to',
        isoAt(to, o2),
      ],
      expect: /--from must be before --to/,
    };
  });

const startInThePast = fc
  .tuple(fc.integer({ min: 60_000, max: 50 * 365 * 24 * HOUR }), offset)
  .map(([ago, o]): Case => ({
    family: 'start --at in the past',
    args: ['start', OK_SPEC, '--at', isoAt(Date.now() - ago, o)],
    expect: /is in the past: give a future time/,
  }));

// ---- spec files ----

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const baseSpec = (): { [key: string]: Json } => ({
  id: 'fuzz-cli-spec',
  name: 'Fuzz',
  schedule: { duration: '30m', leadTime: '1m' },
  participants: [{ userId: 'host-1', role: 'host' }],
  policies: { pollInterval: '10s' },
});
/** One broken place in the base spec. */
const SPEC_BREAKS: fc.Arbitrary<(spec: { [key: string]: Json }) => void>[] = [
  fc.constantFrom('id', 'name', 'schedule').map((k) => (s) => void delete s[k]),
  fc
    .oneof(
      fc.constantFrom('', 'Fuzz', 'has space', 'a_b', '-a', 'a-'),
      fc.integer().map(String),
      fc.constant('x'.repeat(49)),
    )
    .map((v) => (s) => void (s.id = v)),
  fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.constant('')).map((v) => (s) => void (s.name = v)),
  fc
    .constantFrom('forever', '0s', '30s', '25h', '', -1, true)
    .map((v) => (s) => void ((s.schedule as { [k: string]: Json }).duration = v)),
  fc
    .constantFrom('tomorrow', '2030-01-01 10:00', '2030-02-30T10:00:00Z', 12)
    .map((v) => (s) => void ((s.schedule as { [k: string]: Json }).start = v)),
  fc.constant(
    (s: { [key: string]: Json }) => void ((s.schedule as { [k: string]: Json }).end = '2030-01-01T00:00:00Z'),
  ),
  fc
    .oneof(
      fc.constant('alice'),
      fc.constant({}),
      fc.constant([{ userId: 'a' }, { userId: 'a' }]),
      fc.constant([{ role: 'host' }]),
    )
    .map((v) => (s) => void (s.participants = v as Json)),
  fc
    .constantFrom('owner', 'HOST', '', 1)
    .map((v) => (s) => void ((s.participants as { [k: string]: Json }[])[0]!.role = v)),
  fc
    .constantFrom('10ms', '1h', 'often', 0)
    .map((v) => (s) => void ((s.policies as { [k: string]: Json }).pollInterval = v)),
  // No field of the spec starts with x, and every level of it is strict.
  fc.tuple(fc.constantFrom('', 'policies', 'schedule'), fc.stringMatching(/^x[a-zA-Z0-9_]{0,10}$/)).map(
    ([where, k]) =>
      (s) =>
        void ((where ? (s[where] as { [k: string]: Json }) : s)[k] = true),
  ),
  fc.constantFrom('mars-1', '', 'US-EAST-1').map((v) => (s) => void (s.region = v)),
  fc
    .constantFrom<Json>(
      { channelArn: 'not-an-arn' },
      { channelArn: 'arn:aws:ivs:us-east-1:123:channel/x' },
      { layout: { type: 'mosaic' } },
    )
    .map((v) => (s) => void (s.composition = v)),
];
const brokenSpecObject = fc
  .tuple(fc.oneof(...SPEC_BREAKS), fc.constantFrom('yaml', 'yml', 'json'))
  .map(([brk, ext]) => {
    const spec = baseSpec();
    brk(spec);
    return { ext, content: ext === 'json' ? JSON.stringify(spec, null, 2) : toYaml(spec) };
  });
const brokenSyntax = fc.oneof(
  fc.integer({ min: 1, max: 200 }).map((cut) => {
    const text = JSON.stringify(baseSpec());
    return { ext: 'json', content: text.slice(0, Math.max(1, text.length - cut)) };
  }),
  fc.constant({ ext: 'json', content: toYaml(baseSpec()) }),
  fc
    .constantFrom(
      'id: [unclosed',
      'id: "unterminated',
      'a: b: c',
      '- x\ny: 1',
      '{ id: fuzz, ',
      'id: x\n\tname: y',
      'key: value\n  bad indent: 1\n x',
    )
    .map((content) => ({ ext: 'yaml', content })),
  fc
    .constantFrom('', ' ', '\n', 'null', '~', '42', '"a string"', '[]', '- id: x', 'true')
    .chain((content) => fc.constantFrom({ ext: 'yaml', content }, { ext: 'json', content })),
  fc
    .uint8Array({ minLength: 1, maxLength: 64 })
    .map((bytes) => ({ ext: 'yaml', content: Buffer.from(bytes).toString('latin1') })),
);
const specFileCase = fc
  .tuple(fc.oneof({ weight: 3, arbitrary: brokenSpecObject }, { weight: 2, arbitrary: brokenSyntax }), fc.boolean())
  .filter(([file]) =>
    guard((text: string) => parseShowSpecText(text, file.ext === 'json' ? 'json' : 'yaml'))(file.content),
  )
  .map(([file, viaSchedule]): Case => ({
    family: 'invalid spec file',
    args: viaSchedule ? ['schedule', 'create', TARGET, CASE_FILE, '--interval', '1h'] : ['start', CASE_FILE],
    expect: /Invalid show spec .*: fix these fields/,
    file,
    listsIssues: true,
  }));
const unreadableSpec = fc
  .tuple(fc.constantFrom('/nonexistent/spec.yaml', os.tmpdir(), '/proc/self/nope.json', ''), fc.boolean())
  .map(([file, viaSchedule]): Case => ({
    family: 'unreadable spec file',
    args: viaSchedule ? ['schedule', 'create', TARGET, file, '--interval', '1h'] : ['start', file],
    expect: /cannot read /,
    listsIssues: true,
  }));
const templateWithoutDuration = fc.constant<Case>({
  family: 'schedule template without a duration',
  args: ['schedule', 'create', TARGET, CASE_FILE, '--cron', '0 17 * * *'],
  expect: /A scheduled show lasts a duration/,
  file: {
    ext: 'yaml',
    content: toYaml({ ...baseSpec(), schedule: { start: FUTURE, end: isoAt(Date.parse(FUTURE) + HOUR) } }),
  },
});

const offlineCase: fc.Arbitrary<Case> = fc
  .tuple(
    fc.oneof(
      missingCommand,
      { weight: 2, arbitrary: unknownCommand },
      { weight: 3, arbitrary: unknownOption },
      { weight: 2, arbitrary: excessArguments },
      { weight: 2, arbitrary: missingArgument },
      missingMandatoryOption,
      { weight: 2, arbitrary: optionWithoutValue },
      { weight: 2, arbitrary: badChoice },
      { weight: 3, arbitrary: badIsoTime },
      { weight: 2, arbitrary: badNumbers },
      badCapabilities,
      badTimeZone,
      badScheduleId,
      { weight: 2, arbitrary: badDurations },
      { weight: 2, arbitrary: badCalendarJson },
      whenConflict,
      backfillBackwards,
      startInThePast,
      { weight: 5, arbitrary: specFileCase },
      unreadableSpec,
      templateWithoutDuration,
    ),
    fc.boolean(),
  )
  // --json goes first: after an option that takes a value it would be read as that value.
  .map(([k, json]) => (json ? { ...k, args: ['--json', ...k.args] } : k));

// ---- cron and calendar values only Temporal can judge ----

const FIELD_RANGES: [min: number, max: number][] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
];
const cronOf = (fields: string[]) => fields.join(' ');
const badCron = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 4 }), fc.boolean(), fc.integer({ min: 1, max: 999 })).map(([i, above, n]) => {
    const [min, max] = FIELD_RANGES[i]!;
    const value = above ? max + n : min - Math.min(n, min);
    const fields = ['0', '17', '*', '*', '*'];
    fields[i] = String(value === min ? max + n : value);
    return cronOf(fields);
  }),
  fc
    .oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 8, max: 10 }))
    .map((n) => cronOf(Array<string>(n).fill('*'))),
  fc.integer({ min: 0, max: 4 }).map((i) => cronOf(['0', '17', '*', '*', '*'].map((f, j) => (j === i ? '*/0' : f)))),
  fc.integer({ min: 1, max: 23 }).map((a) => cronOf(['0', `${a}-${a - 1}`, '*', '*', '*'])),
  fc.stringMatching(/^[a-z]{1,6}$/).map((w) => `@every ${w}`),
  fc.stringMatching(/^[A-Z][a-z]{2,8}\/[A-Z][a-z]{2,8}$/).map((zone) => `CRON_TZ=Nowhere/${zone} 0 17 * * *`),
);
const badCalendarValue = fc.oneof(
  fc.integer({ min: 24, max: 999 }).map((h) => ({ hour: h })),
  fc.integer({ min: 60, max: 999 }).map((m) => ({ minute: m })),
  fc.integer({ min: 60, max: 999 }).map((s) => ({ second: s })),
  fc.integer({ min: 1, max: 999 }).map((d) => ({ hour: -d })),
  fc.integer({ min: 32, max: 999 }).map((d) => ({ dayOfMonth: d })),
  fc.constant({ dayOfMonth: 0 }),
  fc.constantFrom('FUNDAY', 'monday', 'MON', '8').map((d) => ({ dayOfWeek: d })),
  fc.constantFrom('SMARCH', 'january', 'JAN', 'MONTH13').map((m) => ({ month: m })),
  fc.integer({ min: 1, max: 23 }).map((a) => ({ hour: { start: a, end: a - 1 } })),
  fc.stringMatching(/^[a-z]{1,5}$/).map((h) => ({ hour: h })),
);
const connectingCase = fc.oneof(
  badCron.map((cron) => ({ family: 'bad cron', flag: '--cron', value: cron })),
  badCalendarValue.map((cal) => ({ family: 'bad calendar value', flag: '--calendar', value: JSON.stringify(cal) })),
);

// ---- running and judging ----

/** The message a case's output carries: JSON errors parsed, prose as it is. */
function messageOf(r: InProcessResult, json: boolean): { text: string; issues: number; jsonOk: boolean } {
  if (!json || !r.stderr.trimStart().startsWith('{')) {
    return { text: r.stderr, issues: (r.stderr.match(/^ {2}- /gm) ?? []).length, jsonOk: !json };
  }
  try {
    const { error } = JSON.parse(r.stderr) as {
      error: { message: string; exitCode: number; issues?: { path: string; message: string }[] };
    };
    const issues = error.issues ?? [];
    return {
      text: [error.message, ...issues.map((i) => `${i.path}: ${i.message}`)].join('\n'),
      issues: issues.length,
      jsonOk: error.exitCode === 2 && typeof error.message === 'string' && error.message.length > 0,
    };
  } catch {
    return { text: r.stderr, issues: 0, jsonOk: false };
  }
}

function judge(k: Case, r: InProcessResult): string | undefined {
  const json = k.args.includes('--json');
  const { text, issues, jsonOk } = messageOf(r, json);
  const problems: string[] = [];
  if (r.exitCode !== 2) problems.push(`exit ${r.exitCode}`);
  if (r.stdout !== '') problems.push(`stdout ${JSON.stringify(r.stdout.slice(0, 100))}`);
  if (r.stderr.trim() === '') problems.push('nothing on stderr');
  else if (!k.expect.test(text)) problems.push(`message does not match ${k.expect}`);
  // Help (a missing command) is text even with --json; every other error is a JSON document then.
  if (json && !jsonOk && k.family !== 'missing command') problems.push('--json error is not {"error":{...}}');
  if (k.listsIssues && issues === 0) problems.push('no failing field listed');
  if (problems.length === 0) return undefined;
  return `${k.family}: showrunner ${JSON.stringify(k.args).slice(0, 200)}: ${problems.join(', ')}; stderr ${JSON.stringify(r.stderr.slice(0, 300))}`;
}

void describe('CLI invocations fuzzing', () => {
  const taskQueue = `cli-fuzz-${RUN}`;
  const schedulePrefix = `cli-fuzz-${RUN}-s`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'showrunner-cli-fuzz-'));
  const okSpec = path.join(dir, 'ok.yaml');
  const saved = { ...process.env };
  let connection: Connection;
  let client: Client;
  const scheduleIds: string[] = [];
  const ran: { k: Case; r: InProcessResult }[] = [];

  before(async () => {
    // The in-process CLI reads process.env as the bin does: an operator's environment, on a task queue of its own.
    Object.assign(process.env, TEST_KEY_RING_ENV, { SHOWRUNNER_TASK_QUEUE: taskQueue });
    delete process.env.SHOWRUNNER_ENCRYPTION_KEY_FILE;
    delete process.env.SHOWRUNNER_MONITOR_TASK_QUEUE;
    writeFileSync(okSpec, toYaml({ ...baseSpec(), id: `${schedulePrefix}-ok` }));
    const temporal = testTemporalEnv();
    connection = await Connection.connect({ address: temporal.address });
    client = new Client({ connection, namespace: temporal.namespace });
  });
  after(async () => {
    // Should a wrongly accepted case have made a schedule, it must not outlive the test.
    for (const sid of scheduleIds)
      await client.schedule
        .getHandle(sid)
        .delete()
        .catch(() => undefined);
    await connection.close();
    rmSync(dir, { recursive: true, force: true });
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });

  /** Writes the case's file and puts the real paths in. */
  function materialize(k: Case, i: number): Case {
    let file = '';
    if (k.file) {
      file = path.join(dir, `case-${i}.${k.file.ext}`);
      writeFileSync(file, k.file.content);
    }
    return { ...k, args: k.args.map((a) => (a === OK_SPEC ? okSpec : a === CASE_FILE ? file : a)) };
  }

  async function runAllInProcess(cases: Case[]): Promise<string[]> {
    const failures: string[] = [];
    for (const k of cases) {
      let r: InProcessResult;
      try {
        r = await runCliInProcess(k.args);
      } catch (e) {
        failures.push(`${k.family}: showrunner ${JSON.stringify(k.args)} threw ${(e as Error).stack}`);
        continue;
      }
      ran.push({ k, r });
      const problem = judge(k, r);
      if (problem) failures.push(problem);
    }
    return failures;
  }

  void test('invalid invocations refused before anything is contacted: exit 2, a message, nothing started', async (t) => {
    t.diagnostic(`fast-check seed ${SEED}, ${OFFLINE_RUNS} runs (set SHOWRUNNER_FUZZ_SEED to change)`);
    const cases = fc.sample(offlineCase, { seed: SEED, numRuns: OFFLINE_RUNS }).map(materialize);
    const started = Date.now();
    const failures = await runAllInProcess(cases);
    const families = new Map<string, number>();
    for (const k of cases) families.set(k.family, (families.get(k.family) ?? 0) + 1);
    t.diagnostic(`${cases.length} invocations in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    t.diagnostic(`families: ${[...families].map(([f, n]) => `${f} ×${n}`).join(', ')}`);
    assert.deepEqual(failures.slice(0, 15), [], `${failures.length} of ${cases.length} invocations went wrong`);
  });

  void test('bad cron and calendar values are refused with Temporal’s reason (exit 2), creating no schedule', async (t) => {
    t.diagnostic(`fast-check seed ${SEED + 1}, ${CONNECTING_RUNS} runs`);
    const cases = fc
      .sample(connectingCase, { seed: SEED + 1, numRuns: CONNECTING_RUNS })
      .map(({ family, flag, value }, i): Case => {
        const scheduleId = `${schedulePrefix}-${i}`;
        scheduleIds.push(scheduleId);
        return {
          family,
          args: ['schedule', 'create', scheduleId, okSpec, flag, value],
          expect: /^Error: Invalid --cron or --calendar: /,
        };
      });
    const failures = await runAllInProcess(cases);
    assert.deepEqual(failures.slice(0, 15), [], `${failures.length} of ${cases.length} invocations went wrong`);
    for (const sid of scheduleIds) {
      await assert.rejects(client.schedule.getHandle(sid).describe(), ScheduleNotFoundError, `schedule ${sid} exists`);
    }
  });

  void test('no workflow was started on the CLI’s task queue, and no schedule made', async () => {
    assert.ok(ran.length >= OFFLINE_RUNS, `only ${ran.length} invocations ran`);
    assert.equal((await client.workflow.count(`TaskQueue = '${taskQueue}'`)).count, 0);
    await assert.rejects(client.schedule.getHandle(TARGET).describe(), ScheduleNotFoundError);
  });

  void test(`a sample of ${SUBPROCESS_SAMPLE} run as real processes: same exit codes and messages`, async (t) => {
    // Evenly spread over everything that ran, so most families are represented.
    const step = Math.max(1, Math.floor(ran.length / SUBPROCESS_SAMPLE));
    const sample = ran.filter((_, i) => i % step === 0).slice(0, SUBPROCESS_SAMPLE);
    const env = cliEnv(undefined, { SHOWRUNNER_TASK_QUEUE: taskQueue });
    const started = Date.now();
    const results = await runAll(
      sample.map(({ k }) => k.args),
      env,
      4,
    );
    t.diagnostic(`${sample.length} processes in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    t.diagnostic(`sampled: ${[...new Set(sample.map(({ k }) => k.family))].join(', ')}`);
    results.forEach((real, i) => {
      const { k, r } = sample[i]!;
      const what = `${k.family}: showrunner ${JSON.stringify(k.args).slice(0, 200)}`;
      assert.equal(real.code, r.exitCode, `${what}: exit ${real.code} in a process, ${r.exitCode} in-process`);
      assert.equal(real.stdout, r.stdout, what);
      // A process may print runtime warnings too; the CLI's own message must be the same.
      assert.ok(real.stderr.includes(r.stderr.trim()), `${what}: stderr differs:\n${real.stderr}\nvs\n${r.stderr}`);
    });
  });
});
