import { Command, Option } from 'commander';
import { action } from '../cli-action';
import { calendarJson, isoTime, OVERLAP_POLICIES, slugId, timeZone } from '../parse-options';

const actions = () => import('../actions/schedule-actions.js');

const create = () =>
  new Command('create')
    .description('Create a schedule that starts a show from a spec template at every scheduled time')
    .argument('<scheduleId>', 'schedule id; each show is named <scheduleId>-<yyyymmddhhmmss> (UTC)', slugId)
    .argument('<spec>', 'show spec file used as the template (its id is replaced)')
    .option('--cron <expr>', 'cron expression, e.g. "0 17 * * THU"')
    .option('--interval <duration>', 'fixed interval, e.g. 1h, 7d')
    .option(
      '--calendar <json>',
      'Temporal calendar spec(s) as JSON, e.g. \'{"hour":17,"dayOfWeek":"THURSDAY"}\'',
      calendarJson,
    )
    .option('--time-zone <tz>', 'IANA time zone of --cron and --calendar (default UTC)', timeZone)
    .addOption(
      new Option('--overlap <policy>', 'when a run is due while the previous one is still starting')
        .choices(OVERLAP_POLICIES)
        .default('SKIP'),
    )
    .option('--catchup-window <duration>', 'how late a missed run may still start after an outage (default 1y)')
    .option('--duration <duration>', 'length of each show (overrides schedule.duration of the spec)')
    .option('--paused', 'create the schedule paused')
    .option('--note <text>', 'note shown with the schedule (e.g. why it is paused)')
    .action(action(() => import('../actions/create-schedule-action.js').then((m) => m.createScheduleAction)));

/** `<verb> <id>` commands on an existing schedule. */
const byId = (name: string, description: string) =>
  new Command(name).description(description).argument('<id>', 'schedule id');

export const scheduleCommand = () =>
  new Command('schedule')
    .description('Recurring shows: Temporal schedules that start a show at every scheduled time')
    .addCommand(create())
    .addCommand(
      new Command('list')
        .description("List Showrunner's schedules with their next run and latest show")
        .action(action(() => actions().then((m) => m.listSchedulesAction))),
    )
    .addCommand(
      byId(
        'describe',
        'Show when a schedule runs, its show template, and its recent and next runs with their show ids',
      ).action(action(() => actions().then((m) => m.describeScheduleAction))),
    )
    .addCommand(
      byId('pause', 'Pause a schedule: no runs until unpaused (shows already started keep running)')
        .option('--note <text>', 'why it is paused (shown by describe and list)')
        .action(action(() => actions().then((m) => m.pauseScheduleAction))),
    )
    .addCommand(
      byId('unpause', 'Resume a paused schedule')
        .option('--note <text>', 'note to replace the pause note')
        .action(action(() => actions().then((m) => m.unpauseScheduleAction))),
    )
    .addCommand(
      byId('trigger', 'Start a run now, outside the schedule (its show id uses the current time)').action(
        action(() => actions().then((m) => m.triggerScheduleAction)),
      ),
    )
    .addCommand(
      byId(
        'backfill',
        'Start the runs a past time range would have had (e.g. after an outage beyond the catch-up window)',
      )
        .requiredOption('--from <time>', 'start of the range, ISO 8601 with a time zone', isoTime)
        .requiredOption('--to <time>', 'end of the range, ISO 8601 with a time zone', isoTime)
        .addOption(
          // Backfilled runs are all due at once; each starter lasts a second, so they must not skip each other.
          new Option('--overlap <policy>', 'overlap policy for the backfilled runs')
            .choices(OVERLAP_POLICIES)
            .default('ALLOW_ALL'),
        )
        .action(action(() => actions().then((m) => m.backfillScheduleAction))),
    )
    .addCommand(
      byId('delete', 'Delete a schedule (shows it started keep running)').action(
        action(() => actions().then((m) => m.deleteScheduleAction)),
      ),
    );
