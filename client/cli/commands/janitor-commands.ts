import { Command, InvalidArgumentError } from 'commander';
import { action } from '../cli-action';
import { positiveInt } from '../parse-options';

const actions = () => import('../actions/janitor-actions.js');

/** AWS region names (us-east-1, ap-southeast-2, us-gov-west-1): checked before anything is contacted. */
export function regionList(value: string): string[] {
  const regions = [...new Set(value.split(',').map((r) => r.trim()))];
  const bad = regions.filter((r) => !/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(r));
  if (regions.length === 0 || bad.length > 0)
    throw new InvalidArgumentError(
      `must be AWS regions separated by commas, e.g. us-east-1,eu-west-1 (got ${bad.join(', ') || 'none'})`,
    );
  return regions;
}

export const janitorCommand = () =>
  new Command('janitor')
    .description(
      'The janitor: a Schedule that sweeps IVS for resources of shows that are over (a show terminated before its ' +
        'tidy-up, a tidy-up that gave up) and removes them',
    )
    .addCommand(
      new Command('schedule')
        .description('Create the janitor Schedule, or bring it in line with these options (dry run unless --remove)')
        .requiredOption('--regions <list>', 'IVS regions to sweep, e.g. us-east-1,eu-west-1', regionList)
        .option('--interval <duration>', 'time between sweeps', '15m')
        .option('--grace <duration>', 'how long after its show ended (or was first not found) a resource stays', '1h')
        .option('--remove', 'remove orphans; without it every run is a dry run that only reports them')
        .option('--max-removals <n>', 'at most this many removals per run (default 500)', positiveInt)
        .option('--schedule-id <id>', 'Schedule ID (default SHOWRUNNER_JANITOR_SCHEDULE_ID or showrunner-janitor)')
        .action(action(() => actions().then((m) => m.scheduleJanitorAction))),
    )
    .addCommand(
      new Command('run')
        .description("Run the janitor Schedule now with its own settings, and print the run's report")
        .option('--schedule-id <id>', 'Schedule ID (default SHOWRUNNER_JANITOR_SCHEDULE_ID or showrunner-janitor)')
        .action(action(() => actions().then((m) => m.runJanitorAction))),
    )
    .addCommand(
      new Command('dry-run')
        .description('Report what the janitor would remove now, removing nothing (the Schedule’s settings by default)')
        .option('--regions <list>', 'IVS regions to sweep (default: the Schedule’s)', regionList)
        .option('--grace <duration>', 'grace period (default: the Schedule’s, or 1h)')
        .option('--schedule-id <id>', 'Schedule ID (default SHOWRUNNER_JANITOR_SCHEDULE_ID or showrunner-janitor)')
        .action(action(() => actions().then((m) => m.dryRunJanitorAction))),
    );
