import path from 'node:path';
import { Command, Option } from 'commander';
import { startLocalStack } from './local-stack';
import { localStackDir } from './stack-key';
import { portOption, STACK_PORTS, STACK_SERVICE_NAMES, type StackPorts, type StackService } from './stack-ports';
import { removeStackEnvFile, stackSummary, writeStackEnvFile } from './stack-summary';
import { stopOnSignals } from './stop-on-signals';

/**
 * `npm run stack`: the local stack in the foreground, on fixed ports, until Ctrl-C. Everything else (the CLI,
 * the AWS CLI, boto3, a second worker) attaches to it through the printed environment.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const say = (line: string) => console.log(`${new Date().toISOString().slice(11, 19)}  ${line}`);

function parsePort(service: StackService) {
  return (value: string) => {
    const port = Number(value);
    if (!Number.isInteger(port) || port < 1 || port > 65_535)
      throw new Error(`${portOption(service)} must be a port number from 1 to 65535, not "${value}"`);
    return port;
  };
}

export function stackCommand(name: string, description: string): Command {
  const command = new Command().name(name).description(description);
  command.addOption(
    new Option(
      '--persist [dir]',
      `keep Temporal's database and S3's buckets across restarts (default dir: ${path.join(localStackDir(), 'state')})`,
    ),
  );
  for (const service of Object.keys(STACK_PORTS) as StackService[])
    command.addOption(
      new Option(`${portOption(service)} <port>`, `${STACK_SERVICE_NAMES[service]} port`)
        .default(STACK_PORTS[service])
        .argParser(parsePort(service)),
    );
  return command;
}

export interface StackCommandOptions extends Record<`${StackService}Port`, number> {
  persist?: string | true;
}

export function stackOptionsFrom(options: StackCommandOptions): { ports: StackPorts; stateDir?: string } {
  const ports = Object.fromEntries(
    (Object.keys(STACK_PORTS) as StackService[]).map((s) => [s, options[`${s}Port`]]),
  ) as StackPorts;
  const stateDir =
    options.persist === undefined
      ? undefined
      : options.persist === true
        ? path.join(localStackDir(), 'state')
        : path.resolve(options.persist);
  return { ports, ...(stateDir ? { stateDir } : {}) };
}

async function main(): Promise<void> {
  const program = stackCommand(
    'npm run stack --',
    'Start the local stack (Temporal dev server and Web UI, S3, the IVS emulator, the codec server, the events ' +
      'endpoint and a worker) on fixed ports, print how to use it, and stop it all on Ctrl-C.',
  );
  program.parse();
  const signals = stopOnSignals(say);
  const stack = await startLocalStack({ progress: say, ...stackOptionsFrom(program.opts<StackCommandOptions>()) });
  signals.stopWith(async () => {
    removeStackEnvFile();
    await stack.stop();
  });
  const envFile = writeStackEnvFile(stack);
  console.log(`\nThe Showrunner local stack is up.\n\n${stackSummary(stack, { envFile })}\n\nCtrl-C stops it all.`);
  // Runs until a signal: the handler stops the stack and exits.
  await new Promise<never>(() => undefined);
}

if (require.main === module)
  main().catch((e: unknown) => {
    console.error(`stack failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
