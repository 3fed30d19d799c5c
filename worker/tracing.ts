import { diag, DiagLogLevel, type DiagLogFunction } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { envDetectorSync, Resource } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  NoopSpanProcessor,
  SimpleSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
  type OpenTelemetrySinks,
} from '@temporalio/interceptors-opentelemetry';
import { Runtime, type InjectedSinks, type WorkerOptions } from '@temporalio/worker';
import { z } from 'zod';
import { scrubbingExporter } from './scrubbing-span-exporter';
import { fieldIssues, issueList } from '../contracts/issues';
import { workflowTracingFromEnv } from '../contracts/workflow-tracing';

/**
 * OpenTelemetry tracing of workflows and activities, off by default.
 *
 * - SHOWRUNNER_OTEL_ENABLED=true turns it on.
 * - SHOWRUNNER_OTEL_EXPORTER: `otlp` (default; OTLP/HTTP JSON to OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, else
 *   OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces, else http://localhost:4318/v1/traces) or `console` (spans printed on
 *   stdout, between the JSON log lines — for local debugging only).
 * - OTEL_SERVICE_NAME (default showrunner-worker) and OTEL_RESOURCE_ATTRIBUTES name the resource; the exporter's
 *   other standard variables (OTEL_EXPORTER_OTLP_HEADERS, OTEL_BSP_*, ...) apply as usual.
 */
export const tracingSchema = z.object({
  // SHOWRUNNER_OTEL_ENABLED is read by workflowTracingFromEnv (contracts/workflow-tracing.ts): the CLI reads it the
  // same way for the runs it starts, so one rule decides both.
  SHOWRUNNER_OTEL_EXPORTER: z.enum(['otlp', 'console']).default('otlp'),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url().optional(),
  OTEL_SERVICE_NAME: z.string().min(1).default('showrunner-worker'),
});

/**
 * The workflow half of the tracing, compiled into every workflow bundle: workflows/tracing-interceptors.ts sets up the
 * OpenTelemetry workflow interceptors for the runs whose memo asks for them (contracts/workflow-tracing.ts). Workers
 * always register their sink — a no-op one when tracing is off — since a traced run may reach any worker; without a
 * sink the SDK logs "unregistered external sink" on every activation of such a run.
 */
export const WORKFLOW_TRACING_INTERCEPTORS = require.resolve('../workflows/tracing-interceptors');

export interface WorkerTracing {
  enabled: boolean;
  activityInterceptors: NonNullable<NonNullable<WorkerOptions['interceptors']>['activity']>;
  /** For the worker's own client, so the monitor workflows activities start join the show's trace. */
  clientInterceptors: WorkflowClientInterceptor[];
  sinks: InjectedSinks<OpenTelemetrySinks>;
  /** Exports what is still buffered; never rejects, since a collector being down must not fail a clean exit. */
  shutdown(): Promise<void>;
}

export const tracingOff: WorkerTracing = {
  enabled: false,
  activityInterceptors: [],
  clientInterceptors: [],
  sinks: { exporter: makeWorkflowExporter(new NoopSpanProcessor(), new Resource({})) },
  shutdown: async () => undefined,
};

/** Interceptors and sinks for Worker.create; the bundle's workflow interceptors are added only when bundling here. */
export function tracingWorkerOptions(
  tracing: WorkerTracing = tracingOff,
  workflows: Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'>,
): Pick<WorkerOptions, 'interceptors' | 'sinks'> {
  return {
    interceptors: {
      activity: tracing.activityInterceptors,
      // A prebuilt bundle already holds them, and the SDK warns when given modules it cannot add.
      workflowModules: workflows.workflowBundle ? [] : [WORKFLOW_TRACING_INTERCEPTORS],
    },
    sinks: tracing.sinks,
  };
}

/** Every exporter is wrapped: errors recorded on spans may quote tokens or keys (see scrub-secrets.ts). */
function spanProcessor(exporter: 'otlp' | 'console', url: string | undefined): SpanProcessor {
  if (exporter === 'console') return new SimpleSpanProcessor(scrubbingExporter(new ConsoleSpanExporter()));
  return new BatchSpanProcessor(scrubbingExporter(new OTLPTraceExporter(url ? { url } : {})));
}

/** Exporter failures (collector unreachable, rejected batches) go to the worker's JSON log instead of vanishing. */
function routeDiagnosticsToRuntimeLogger(): void {
  const logger = Runtime.instance().logger;
  const ignore: DiagLogFunction = () => undefined;
  diag.setLogger(
    {
      error: (message, ...args) => {
        logger.error(`OpenTelemetry: ${message}`, { details: args.map(String) });
      },
      warn: (message, ...args) => {
        logger.warn(`OpenTelemetry: ${message}`, { details: args.map(String) });
      },
      info: ignore,
      debug: ignore,
      verbose: ignore,
    },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
}

/** Validates the environment and, when tracing is on, registers the global tracer provider. */
export function installTracing(env: NodeJS.ProcessEnv = process.env): WorkerTracing {
  const result = tracingSchema.safeParse(env);
  if (!result.success) {
    throw new Error(issueList('Invalid tracing configuration', fieldIssues(result.error.issues, '(environment)')));
  }
  if (!workflowTracingFromEnv(env)) return tracingOff;
  const e = result.data;

  routeDiagnosticsToRuntimeLogger();
  const url =
    e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
    (e.OTEL_EXPORTER_OTLP_ENDPOINT && `${e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`);
  // makeWorkflowExporter wants the Resource class itself, so the detected attributes are copied into one.
  const resource = new Resource({
    ...Resource.default().attributes,
    ...envDetectorSync.detect().attributes,
    'service.name': e.OTEL_SERVICE_NAME,
  });
  const processor = spanProcessor(e.SHOWRUNNER_OTEL_EXPORTER, url);
  const provider = new BasicTracerProvider({ resource, spanProcessors: [processor] });
  // The activity interceptor parents its span through the active context: without a context manager every
  // activity span would start a trace of its own instead of joining its workflow's.
  provider.register({ contextManager: new AsyncLocalStorageContextManager() });
  return {
    enabled: true,
    activityInterceptors: [
      (ctx) => ({
        inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
        outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
      }),
    ],
    clientInterceptors: [new OpenTelemetryWorkflowClientInterceptor()],
    // Workflow spans are made in the sandbox and handed over through this sink to the same processor.
    sinks: { exporter: makeWorkflowExporter(processor, resource) },
    async shutdown() {
      try {
        await provider.shutdown();
      } catch (err) {
        Runtime.instance().logger.warn('OpenTelemetry: spans lost at shutdown', {
          error: err instanceof Error ? err.message : String(err),
        });
      }
    },
  };
}
