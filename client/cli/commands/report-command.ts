import { Command, Option } from 'commander';
import { action } from '../cli-action';

export const reportCommand = () =>
  new Command('report')
    .description(
      "Draw a show's timeline (phases, destinations' states, restarts, publishers) as SVG and PNG, with its figures: time on air, availability, time to recover, recordings",
    )
    .argument('<id>', 'show id')
    .option('--out <file.svg>', 'where to write the SVG (the PNG goes next to it); default show-<id>-report.svg')
    .addOption(new Option('--no-png', 'write the SVG only'))
    .action(action(() => import('../actions/report-action.js').then((m) => m.reportAction)));
