import net from 'node:net';
import { pollUntil, type PollOptions } from './poll-until';

export const LOOPBACK = '127.0.0.1';

/** Asks the OS for an unused port. Another process could grab it before we bind, which is acceptable for tests. */
export async function getFreePort(host = LOOPBACK): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0 }, () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('Could not determine the allocated port'));
      });
    });
  });
}

export async function canConnect(port: number, host = LOOPBACK, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export async function isPortFree(port: number, host = LOOPBACK): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ host, port }, () => server.close(() => resolve(true)));
  });
}

export async function waitForPort(
  port: number,
  options: Omit<PollOptions, 'description'> & { host?: string; description?: string },
): Promise<void> {
  const host = options.host ?? LOOPBACK;
  await pollUntil(async () => ((await canConnect(port, host)) ? true : undefined), {
    ...options,
    description: options.description ?? `${host}:${port} to accept connections`,
  });
}
