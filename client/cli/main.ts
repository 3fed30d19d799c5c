import { CommanderError } from 'commander';
import { CliError, EXIT, failedError } from './cli-errors';
import { Output } from './output';
import { buildProgram } from './program';

/**
 * `showrunner`: the operator CLI. Every outcome ends in one of the documented exit codes; commander's own
 * errors (unknown option, missing argument) are usage errors.
 */
export async function main(argv: string[]): Promise<number> {
  // Known before parsing, so even a parse error is reported in the requested format.
  const json = argv.slice(2).includes('--json');
  const program = buildProgram(json);
  try {
    await program.parseAsync(argv);
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      // commander printed the help or the message already.
      const helpOrVersion = ['commander.helpDisplayed', 'commander.version'].includes(e.code) || e.exitCode === 0;
      return helpOrVersion ? EXIT.ok : EXIT.usage;
    }
    // Commands map their own errors (cli-action.ts); anything else is a bug, reported with its message.
    const error = e instanceof CliError ? e : failedError(e instanceof Error ? e.message : String(e));
    new Output(json).error(error);
    return error.exitCode;
  }
}

export function runCli(): void {
  // The SDK's notice that it will drop Node 20 (end-of-life; the project supports 22 and 24, see package.json
  // engines) is about the runtime, not about what the operator asked: keep it out of command output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  void main(process.argv).then((code) => {
    // Exit explicitly: an SDK client or socket left open must not keep the CLI alive after it has answered.
    process.stdout.write('', () => process.exit(code));
  });
}

if (require.main === module) runCli();
