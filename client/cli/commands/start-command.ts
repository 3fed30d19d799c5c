import { Command } from 'commander';
import { action } from '../cli-action';
import { isoTime } from '../parse-options';

export const startCommand = () =>
  new Command('start')
    .description('Validate a show spec (YAML or JSON) and start the show')
    .argument('<spec>', 'show spec file (.yaml, .yml or .json)')
    .option('--at <time>', 'start later, at this ISO 8601 time (overrides schedule.start)', isoTime)
    .action(action(() => import('../actions/start-show-action.js').then((m) => m.startShowAction)));
