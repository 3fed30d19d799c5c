/**
 * Whether a run's workflow code is traced: the OpenTelemetry workflow interceptors are set up for it or not. Chosen
 * by whoever starts the run and written in its memo, because it must be the same every time the run is replayed:
 * the interceptors add awaits around update handlers, so an update's completion and a timer's cancellation reach
 * history in another order with them than without (a history recorded one way fails replay the other way). A
 * worker's settings cannot decide it — they change between deploys — but the start event's memo never changes.
 *
 * Why choose at all: with the SDK's reusable V8 context every cached workflow evaluates the modules it loads for
 * itself, and the interceptors with @opentelemetry/* cost ~260 KB of heap per cached show (issue 15,
 * bench/floor/bundle-cost.ts), for nothing when the worker does not export spans.
 */
export const WORKFLOW_TRACING_MEMO = 'showrunnerWorkflowTracing';

/** The memo entry a starter writes: every Showrunner starter writes it, on or off. */
export const workflowTracingMemo = (on: boolean): Record<string, boolean> => ({ [WORKFLOW_TRACING_MEMO]: on });

/**
 * On unless the memo says off: a run started before the memo existed (every recorded history) was traced, and a
 * starter that does not know about it (the Temporal CLI, another SDK) gets what every run had before.
 */
export const workflowTracingOn = (memo: Record<string, unknown> | undefined): boolean =>
  memo?.[WORKFLOW_TRACING_MEMO] !== false;

/** The variable that turns tracing on, for workers (worker/tracing.ts) and starters alike. */
export const TRACING_ENABLED_VARIABLE = 'SHOWRUNNER_OTEL_ENABLED';

/**
 * What Showrunner's own starters (the CLI, the demo) write in the memo: tracing on when their environment turns it
 * on, the same variable a worker reads — deployments set it for both. A value other than true or false is refused
 * with the variable named, before anything starts.
 */
export function workflowTracingFromEnv(env: Record<string, string | undefined>): boolean {
  const value = env[TRACING_ENABLED_VARIABLE];
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw new RangeError(`${TRACING_ENABLED_VARIABLE} must be true or false, not ${JSON.stringify(value)}`);
}
