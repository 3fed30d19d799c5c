import { Command } from 'commander';
import { janitorCommand } from './commands/janitor-commands';
import { reportCommand } from './commands/report-command';
import { scheduleCommand } from './commands/schedule-commands';
import {
  cancelCommand,
  endCommand,
  extendCommand,
  listCommand,
  recordingsCommand,
  statusCommand,
  terminateCommand,
  tokenCommand,
  audienceTokenCommand,
} from './commands/show-commands';
import { startCommand } from './commands/start-command';

/** Settings every command needs; commands built apart and added with addCommand inherit nothing, so set them all. */
function configure(command: Command, json: boolean): Command {
  command
    .exitOverride()
    .showHelpAfterError(json ? false : '(add --help for usage)')
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({
      // Usage errors as JSON under --json; commander still decides the message.
      outputError: (message, write) =>
        write(
          json
            ? `${JSON.stringify({ error: { message: message.replace(/^error: /, '').trim(), exitCode: 2 } })}\n`
            : message,
        ),
    });
  for (const sub of command.commands) configure(sub, json);
  return command;
}

export function buildProgram(json: boolean): Command {
  const program = new Command('showrunner')
    .description('Operate Showrunner live shows on Temporal: start, schedule, watch, control and review them')
    .option('--json', 'machine-readable output on stdout (errors as JSON on stderr)')
    .option('--namespace <namespace>', 'Temporal namespace (overrides TEMPORAL_NAMESPACE and temporal.toml)')
    .option('--address <host:port>', 'Temporal frontend (overrides TEMPORAL_ADDRESS and temporal.toml)')
    .option('--task-queue <name>', 'task queue of the Showrunner workers (default SHOWRUNNER_TASK_QUEUE or showrunner)')
    .addHelpText(
      'after',
      '\nExit codes: 0 ok, 1 operation failed, 2 bad usage or input, 3 cannot reach Temporal.\n' +
        'Connection and TLS settings come from TEMPORAL_* and temporal.toml (envconfig); payload keys from SHOWRUNNER_ENCRYPTION_KEYS.',
    )
    .addCommand(startCommand())
    .addCommand(scheduleCommand())
    .addCommand(listCommand())
    .addCommand(statusCommand())
    .addCommand(endCommand())
    .addCommand(extendCommand())
    .addCommand(cancelCommand())
    .addCommand(terminateCommand())
    .addCommand(tokenCommand())
    .addCommand(audienceTokenCommand())
    .addCommand(recordingsCommand())
    .addCommand(janitorCommand())
    .addCommand(reportCommand());
  return configure(program, json);
}
