import { Connection, type ConnectionOptions } from '@temporalio/client';
import { isGrpcServiceError } from '@temporalio/client';
import { NativeConnection, TransportError, type NativeConnectionOptions } from '@temporalio/worker';
import { backOff } from 'exponential-backoff';

export interface TemporalConnections {
  /** For the workers. */
  native: NativeConnection;
  /** For the client the activities use (signal-with-start, describing shows). */
  client: Connection;
}

export interface ConnectRetryOptions {
  /** Where each failed attempt is reported; gets no secret (see below). */
  warn(message: string, meta: Record<string, unknown>): void;
  /** Stops the waiting (SIGTERM while Temporal is still unreachable). */
  signal?: AbortSignal;
  /** First wait, doubled after each failure up to maxDelayMs, each with full jitter. */
  startingDelayMs?: number;
  maxDelayMs?: number;
}

/** gRPC codes for a server that is not there yet or not ready: UNAVAILABLE, DEADLINE_EXCEEDED. */
const NOT_READY_CODES = new Set([14, 4]);

/**
 * Whether the failure means "Temporal cannot be reached yet" (worth waiting for) rather than a mistake waiting
 * will not fix (a bad TLS setting, a refused API key: those fail at once).
 */
export function isUnreachable(error: unknown): boolean {
  if (error instanceof TransportError) return true;
  if (isGrpcServiceError(error)) return NOT_READY_CODES.has(error.code);
  // The client connection's own deadline (Connection.connect's connectTimeout).
  return error instanceof Error && /Failed to connect before the deadline/.test(error.message);
}

/** What a log line may say about the failure: its kind and message; never the connection options (API key, TLS key). */
const reasonOf = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message}` : `unexpected failure: ${String(error)}`;

/**
 * Connects the worker to Temporal, waiting with exponential backoff while the server cannot be reached (a worker
 * started before Temporal, or during its restart), instead of exiting at once. Each failure is logged with the
 * address and the reason. Resolves undefined when `signal` aborts first.
 */
export async function connectToTemporal(
  options: NativeConnectionOptions & ConnectionOptions,
  retry: ConnectRetryOptions,
): Promise<TemporalConnections | undefined> {
  const address = options.address ?? 'localhost:7233';
  const stopped = new Promise<undefined>((resolve) => {
    if (retry.signal?.aborted) resolve(undefined);
    retry.signal?.addEventListener('abort', () => resolve(undefined), { once: true });
  });
  const connect = async (): Promise<TemporalConnections> => {
    const native = await NativeConnection.connect(options);
    try {
      return { native, client: await Connection.connect(options) };
    } catch (e) {
      await native.close();
      throw e;
    }
  };
  const connecting = backOff(connect, {
    numOfAttempts: Infinity,
    startingDelay: retry.startingDelayMs ?? 500,
    maxDelay: retry.maxDelayMs ?? 30_000,
    timeMultiple: 2,
    jitter: 'full',
    // The library calls this with the number of attempts made so far.
    retry: (error: unknown, failedAttempts: number) => {
      if (retry.signal?.aborted || !isUnreachable(error)) return false;
      retry.warn(`Temporal at ${address} is unreachable; retrying with backoff`, {
        address,
        attempt: failedAttempts,
        reason: reasonOf(error),
      });
      return true;
    },
  });
  const outcome = await Promise.race([connecting, stopped]);
  if (outcome === undefined) {
    // Aborted while waiting; should the pending attempt connect after all, let it go.
    connecting.then(
      (late) => Promise.all([late.client.close(), late.native.close()]),
      () => undefined,
    );
  }
  return outcome;
}
