import { existsSync, readFileSync } from 'node:fs';
import type { BundleOptions } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from '../security/data-converter';
import { WORKFLOW_TRACING_INTERCEPTORS } from './tracing';

/**
 * Two prebuilt workflow bundles, one with the OpenTelemetry workflow interceptors compiled in and one without.
 *
 * With the SDK's reusable V8 context every cached workflow evaluates the bundle's modules for itself, so whatever a
 * bundle carries is paid once per cached workflow: the tracing interceptors (the OpenTelemetry API, its SDK's
 * tracer provider, the interceptors) cost about 0.4 MB per cached show, ~40 % of a show's memory (BENCHMARKS.md,
 * scale). A worker with tracing off loads the bundle without them; one with SHOWRUNNER_OTEL_ENABLED=true loads the
 * traced bundle, which `npm run build:workflows` writes beside the other (`<name>.tracing.js`).
 *
 * Replaying a history across the two is safe: the interceptors add span headers to activities and no commands (the
 * replay gate replays histories recorded with tracing compiled in against the bundle without it).
 */
export const TRACED_BUNDLE_SUFFIX = '.tracing.js';

/** Module IDs as webpack writes them into the bundle: the traced bundle carries this one. */
const TRACING_MARKER = '@temporalio/interceptors-opentelemetry/lib/workflow-interceptors';

export function tracedBundlePath(bundlePath: string): string {
  return `${bundlePath.replace(/\.js$/, '')}${TRACED_BUNDLE_SUFFIX}`;
}

/** bundleWorkflowCode options shared by `npm run build:workflows` and the cached bundles of tests and the stack. */
export function workflowBundleOptions(
  tracing: boolean,
): Pick<BundleOptions, 'workflowsPath' | 'failureConverterPath' | 'workflowInterceptorModules'> {
  return {
    workflowsPath: require.resolve('../workflows'),
    // The same failure converter as the worker's data converter, or workflow failures would reach history unencrypted.
    failureConverterPath: FAILURE_CONVERTER_PATH,
    workflowInterceptorModules: tracing ? [WORKFLOW_TRACING_INTERCEPTORS] : [],
  };
}

/**
 * The bundle a worker loads: the given one when tracing is off; with tracing on, the traced bundle beside it, or the
 * given one if it carries the interceptors itself (bundles built before the split did). Throws, naming the fix, when
 * tracing is on and neither does: workflow spans would silently be missing.
 */
export function workflowBundleFor(bundlePath: string, tracing: boolean): string {
  if (!tracing) return bundlePath;
  const traced = tracedBundlePath(bundlePath);
  if (existsSync(traced)) return traced;
  if (readFileSync(bundlePath, 'utf8').includes(TRACING_MARKER)) return bundlePath;
  throw new Error(
    `SHOWRUNNER_OTEL_ENABLED=true, but the workflow bundle ${bundlePath} has no tracing interceptors and there is no ` +
      `${traced} beside it: build both with npm run build:workflows`,
  );
}
