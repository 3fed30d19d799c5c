import { getFreePort, isPortFree, LOOPBACK } from '../process/net-utils';

/**
 * The local stack's fixed, documented ports (README, "The local stack"): the same every run, so an exported
 * environment, a bookmarked UI link and the AWS CLI keep working. Temporal's are the dev server's own defaults.
 */
export const STACK_PORTS = {
  temporal: 7233,
  ui: 8233,
  s3: 7070,
  emulator: 4566,
  codec: 8888,
  events: 8090,
  audience: 8091,
} as const;

export type StackService = keyof typeof STACK_PORTS;
export type StackPorts = Record<StackService, number>;

/** What listens on each port, for messages and the summary. */
export const STACK_SERVICE_NAMES: Record<StackService, string> = {
  temporal: 'Temporal gRPC',
  ui: 'Temporal Web UI',
  s3: 'S3 (versitygw)',
  emulator: 'IVS Real-Time emulator',
  codec: 'codec server',
  events: 'events endpoint',
  audience: 'audience token service',
};

/** The `npm run stack` option that moves each port. */
export const portOption = (service: StackService) => `--${service}-port`;

export class PortTakenError extends Error {
  constructor(readonly taken: { service: StackService; port: number }[]) {
    super(
      taken
        .map(
          ({ service, port }) =>
            `port ${port} (${STACK_SERVICE_NAMES[service]}) is already in use on ${LOOPBACK}: is another stack or ` +
            `server running? Stop it, or choose another port with ${portOption(service)}`,
        )
        .join('\n'),
    );
    this.name = 'PortTakenError';
  }
}

/**
 * The stack's ports with overrides applied; 0 picks a free port (tests and the history recorder, which may run
 * beside a stack). Every fixed port is checked before anything starts, so a clash is one clear error and not a
 * half-started stack.
 */
export async function resolveStackPorts(overrides: Partial<StackPorts> = {}): Promise<StackPorts> {
  const wanted: StackPorts = { ...STACK_PORTS, ...overrides };
  const taken: { service: StackService; port: number }[] = [];
  for (const service of Object.keys(wanted) as StackService[]) {
    const port = wanted[service];
    if (port !== 0 && !(await isPortFree(port))) taken.push({ service, port });
  }
  if (taken.length > 0) throw new PortTakenError(taken);
  const resolved = { ...wanted };
  for (const service of Object.keys(resolved) as StackService[])
    if (resolved[service] === 0) resolved[service] = await getFreePort();
  return resolved;
}

/** Every port 0: what a stack beside another stack (or a test run) uses. */
export const ANY_FREE_PORTS: StackPorts = { temporal: 0, ui: 0, s3: 0, emulator: 0, codec: 0, events: 0, audience: 0 };
