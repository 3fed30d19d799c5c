import type { Command } from 'commander';
import type { CliContext, GlobalOptions } from './cli-context';

export type ActionBody<O> = (ctx: CliContext, args: string[], options: O) => Promise<void>;

/**
 * Wraps a command body for commander. The body, the Temporal SDK and everything else heavy load only when the
 * command runs, so `--help` and usage errors answer at once. The context comes from the global options; any error
 * becomes a CliError (exit code and next step) while the address is known; the connection is always closed.
 */
export function action<O>(load: () => Promise<ActionBody<O>>) {
  return async (...received: unknown[]): Promise<void> => {
    const command = received[received.length - 1] as Command;
    const options = received[received.length - 2] as O;
    const args = received.slice(0, -2) as string[];
    const [{ CliContext }, { toCliError }, body] = await Promise.all([
      import('./cli-context.js'),
      import('./error-mapping.js'),
      load(),
    ]);
    const ctx = new CliContext(command.optsWithGlobals<GlobalOptions>());
    try {
      await body(ctx, args, options);
    } catch (e) {
      throw toCliError(e, ctx.address);
    } finally {
      await ctx.close();
    }
  };
}
