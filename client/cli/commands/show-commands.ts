import { Command, Option } from 'commander';
import { TOKEN_MINUTES } from '../../../contracts/participants';
import { REASON_MAX_LENGTH, SHOW_MAX_HOURS } from '../../../contracts/show-rules';
import { SHOW_PHASES } from '../../../contracts/show-status';
import { action } from '../cli-action';
import { capabilities, isoTime, positiveInt, wholeMinutes } from '../parse-options';

/** Everything that reads or acts on one show by its id (`show-<id>` is its workflow). */

const actions = () => import('../actions/show-actions.js');
const statusAction = () => import('../actions/status-action.js');

export const listCommand = () =>
  new Command('list')
    .description('List shows from their search attributes (newest first)')
    .addOption(new Option('--phase <phase>', 'only shows in this phase').choices(SHOW_PHASES))
    .option('--query <visibility query>', 'extra visibility query clause, e.g. "StartTime > \'2026-03-01T00:00:00Z\'"')
    .option('--limit <n>', 'at most this many shows', positiveInt, 50)
    .action(action(() => import('../actions/list-action.js').then((m) => m.listAction)));

export const statusCommand = () =>
  new Command('status')
    .description("Show a show's phase, resources, composition, incidents and next deadline")
    .argument('<id>', 'show id')
    .option('--watch', 'refresh every second until the show completes (prints only changes when not a terminal)')
    .action(action(() => statusAction().then((m) => m.statusAction)));

export const endCommand = () =>
  new Command('end')
    .description('End a show now: it stops its composition, tidies up and indexes recordings')
    .argument('<id>', 'show id')
    .option('--reason <text>', `recorded with the show (at most ${REASON_MAX_LENGTH} characters)`)
    .action(action(() => actions().then((m) => m.endAction)));

export const extendCommand = () =>
  new Command('extend')
    .description(`Move a show's planned end (at most ${SHOW_MAX_HOURS} hours after its start)`)
    .argument('<id>', 'show id')
    .requiredOption('--until <time>', 'new planned end, ISO 8601 with a time zone', isoTime)
    .action(action(() => actions().then((m) => m.extendAction)));

export const cancelCommand = () =>
  new Command('cancel')
    .description('Cancel a show: it tidies up what it made and ends CANCELLED, without indexing recordings')
    .argument('<id>', 'show id')
    .action(action(() => actions().then((m) => m.cancelAction)));

export const terminateCommand = () =>
  new Command('terminate')
    .description(
      'Stop a wedged show at once (e.g. "Workflow Task in failed state"): nothing is tidied up; the janitor removes what it made',
    )
    .argument('<id>', 'show id')
    .requiredOption('--reason <text>', 'why, recorded in the workflow history')
    .action(action(() => actions().then((m) => m.terminateAction)));

export const tokenCommand = () =>
  new Command('token')
    .description("Issue a participant token for a show's stage; prints only the token on stdout")
    .argument('<id>', 'show id')
    .requiredOption('--user <userId>', 'participant user id (a spec participant keeps its attributes)')
    .option(
      '--duration <minutes>',
      `token lifetime in whole minutes (default: the participant spec or ${TOKEN_MINUTES.default})`,
      wholeMinutes,
    )
    .option('--capabilities <list>', 'PUBLISH, SUBSCRIBE or PUBLISH,SUBSCRIBE', capabilities)
    .action(action(() => actions().then((m) => m.tokenAction)));

export const audienceTokenCommand = () =>
  new Command('audience-token')
    .description(
      'Ask the audience token service for a subscribe-only viewer token (SHOWRUNNER_AUDIENCE_URL, _TOKEN or _TOKEN_FILE); prints only the token',
    )
    .argument('<id>', 'show id')
    .requiredOption('--user <userId>', 'viewer user id')
    .option('--attributes <json>', 'viewer attributes as a JSON object of strings (the show limits them)')
    .option('--ttl <seconds>', 'a shorter lifetime than the show allows', positiveInt)
    .action(action(() => import('../actions/audience-token-action.js').then((m) => m.audienceTokenAction)));

export const recordingsCommand = () =>
  new Command('recordings')
    .description("Print the summary of a finished show's recordings index (read from S3)")
    .argument('<id>', 'show id')
    .option('--run <runId>', 'a show ID used again names several shows: which run (default: the latest)')
    .action(action(() => import('../actions/recordings-action.js').then((m) => m.recordingsAction)));
