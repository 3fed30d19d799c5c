import { AsyncLocalStorage } from 'node:async_hooks';
import { main } from '../../client/cli/main';

export interface InProcessResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

interface Sink {
  stdout: string;
  stderr: string;
}

/**
 * The sink of the invocation running in the current async context. Commander, Output and the actions write to
 * process.stdout/stderr directly, so the streams are wrapped once and route only the writes made on behalf of an
 * invocation; everything else (a test reporter, other logs) passes through untouched.
 */
const sinks = new AsyncLocalStorage<Sink>();
let wrapped = false;

function wrapStreams(): void {
  if (wrapped) return;
  wrapped = true;
  for (const name of ['stdout', 'stderr'] as const) {
    const stream = process[name];
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = (chunk: string | Uint8Array, ...rest: unknown[]) => {
      const sink = sinks.getStore();
      if (!sink) return write(chunk, ...rest);
      const encoding = typeof rest[0] === 'string' ? (rest[0] as BufferEncoding) : 'utf8';
      sink[name] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString(encoding);
      const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      if (callback) process.nextTick(callback);
      return true;
    };
  }
}

/**
 * Runs `showrunner <args>` inside this process, as the bin would but without exiting: the exit code it would have
 * ended with, and what it wrote. For tests that run the CLI far more often than spawning processes allows. The
 * commands read process.env like the bin does, so callers set the environment there.
 */
export async function runCliInProcess(args: string[]): Promise<InProcessResult> {
  wrapStreams();
  const sink: Sink = { stdout: '', stderr: '' };
  const exitCode = await sinks.run(sink, () => main(['node', 'showrunner', ...args]));
  return { exitCode, stdout: sink.stdout, stderr: sink.stderr };
}
