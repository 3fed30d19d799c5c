import { workflowInfo, type WorkflowInterceptors } from '@temporalio/workflow';
import { workflowTracingOn } from '../contracts/workflow-tracing';

/**
 * The methods of the SDK's three interceptor interfaces, each forwarded to the OpenTelemetry interceptor when the run
 * traces and straight to `next` when it does not. A test checks that every method the OpenTelemetry interceptors
 * implement is listed (test/workflows/tracing-interceptors.test.ts), so an SDK upgrade cannot drop one silently.
 */
export const FORWARDED_METHODS = {
  inbound: ['execute', 'handleSignal', 'handleUpdate', 'validateUpdate', 'handleQuery'],
  outbound: [
    'scheduleActivity',
    'scheduleLocalActivity',
    'startTimer',
    'startChildWorkflowExecution',
    'startNexusOperation',
    'signalWorkflow',
    'continueAsNew',
    'getLogAttributes',
    'getMetricTags',
  ],
  internals: ['activate', 'concludeActivation', 'dispose'],
} as const;

type Kind = keyof typeof FORWARDED_METHODS;
type Method = (input: unknown, next: (input: unknown) => unknown) => unknown;

/**
 * The workflow interceptor module of every bundle (worker/workflow-bundle-options.ts): the OpenTelemetry workflow
 * interceptors for a run whose memo asks for tracing, none in effect otherwise (contracts/workflow-tracing.ts).
 *
 * The SDK calls this before the run's memo is known (workflowInfo().memo is filled in by the first activation's
 * initializeWorkflow job, after the interceptors exist), so the choice is made at the first intercepted call that
 * comes after it — the workflow's `execute`, which every run starts with. Until then a call goes straight through.
 * A forwarded call returns the OpenTelemetry interceptor's own result, and a pass-through returns `next`'s: neither
 * adds an await, so a run's commands come in the same order as with the interceptors installed directly (traced) or
 * with none (untraced) — the replay gate holds both kinds of history (test/replay).
 */
export function interceptors(): WorkflowInterceptors {
  /** undefined: not chosen yet; null: not traced. */
  let traced: WorkflowInterceptors | null | undefined;
  const chosen = (): WorkflowInterceptors | null | undefined => {
    if (traced !== undefined) return traced;
    const { memo } = workflowInfo();
    if (memo === undefined) return undefined;
    traced = workflowTracingOn(memo) ? openTelemetryInterceptors() : null;
    return traced;
  };
  const forwarding = (kind: Kind): Record<string, Method> =>
    Object.fromEntries(
      FORWARDED_METHODS[kind].map((name): [string, Method] => [
        name,
        (input, next) => {
          const target = chosen()?.[kind]?.[0] as Record<string, Method | undefined> | undefined;
          const method = target?.[name];
          return method ? method.call(target, input, next) : next(input);
        },
      ]),
    );
  return {
    inbound: [forwarding('inbound')],
    outbound: [forwarding('outbound')],
    internals: [forwarding('internals')],
  };
}

/**
 * Workflow code is type-checked without Node's types (tsconfig.workflows.json); this is webpack's `require`, which
 * the bundler resolves at build time and evaluates where it is called.
 */
declare const require: (id: string) => unknown;

function openTelemetryInterceptors(): WorkflowInterceptors {
  // A require here, not an import: webpack then evaluates the interceptors and @opentelemetry/* only in the runs
  // that trace, and a cached run without tracing does not carry them (~260 KB of heap each).
  const otel = require('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors') as {
    interceptors: () => WorkflowInterceptors;
  };
  return otel.interceptors();
}
