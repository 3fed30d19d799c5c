/**
 * Modules the SDK evaluates once per worker, before any workflow exists, and shares — deep-frozen — with every
 * workflow of the reusable V8 context (the SDK's default). Every other module of the bundle is evaluated again by
 * each cached workflow, so what is listed here is memory saved per cached show (issue 15: zod, ~0.5 MB
 * each; bench/floor/bundle-cost.ts measures it).
 *
 * Only modules without per-workflow state and that never write to what they export after loading belong here; a
 * module that does would leak state between workflows or throw on the frozen object. Not listed, and why:
 * - OpenTelemetry (@opentelemetry/api and all that imports it, the workflow interceptors among them, ~0.4 MB a
 *   show): the interceptors keep their tracer and context manager in module variables and register a tracer
 *   provider per workflow into the API's module-level TraceAPI singleton — frozen it throws, shared it would hand
 *   one workflow's provider to all;
 * - the show's and the monitor's message definitions (contracts/show-messages.ts, contracts/monitor-messages.ts):
 *   they load `@temporalio/workflow`'s index, which the SDK evaluates per workflow (workflows/shared-modules.ts
 *   lists what is shared of Showrunner's own modules, and why).
 *
 * Every way of bundling the workflows takes the list from here, through worker/workflow-bundle-options.ts. Imports
 * nothing, so a test can load exactly what the SDK preloads (test/contracts/preloaded-zod.test.ts).
 */
export const WORKFLOW_PRELOAD_MODULES: readonly string[] = [
  require.resolve('../contracts/zod-english'),
  require.resolve('../workflows/shared-modules'),
];
