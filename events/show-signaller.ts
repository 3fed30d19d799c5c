import { isGrpcServiceError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { ivsEventSignal, type ShowIvsEvent } from '../contracts/show-messages';

/** `unavailable` means Temporal could not take the signal now: the caller answers 5xx so EventBridge retries. */
export type SignalOutcome = 'signalled' | 'show-not-running' | 'signal-rejected' | 'unavailable';

/**
 * gRPC codes a retry cannot fix (INVALID_ARGUMENT, FAILED_PRECONDITION): retrying the event would only repeat the
 * failure. Numbers rather than grpc-js's enum, which is not a dependency of this project.
 */
const PERMANENT = new Set<number>([3, 9]);

function grpcCode(error: unknown): number | undefined {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) if (isGrpcServiceError(e)) return e.code;
  return undefined;
}

/**
 * Signals a show about an IVS event, within a deadline: EventBridge waits 5 s for an API destination's answer,
 * and the client's own retries against an unreachable server would otherwise outlast it.
 */
export async function signalShow(
  client: Client,
  workflowId: string,
  event: ShowIvsEvent,
  timeoutMs = 2_500,
): Promise<{ outcome: SignalOutcome; error?: string }> {
  try {
    await client.withDeadline(Date.now() + timeoutMs, () =>
      client.workflow.getHandle(workflowId).signal(ivsEventSignal, event),
    );
    return { outcome: 'signalled' };
  } catch (e) {
    if (e instanceof WorkflowNotFoundError) return { outcome: 'show-not-running' };
    const code = grpcCode(e);
    const error = e instanceof Error ? e.message : String(e);
    return { outcome: code !== undefined && PERMANENT.has(code) ? 'signal-rejected' : 'unavailable', error };
  }
}
