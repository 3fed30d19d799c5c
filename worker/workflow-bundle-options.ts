import type { BundleOptions, WorkerOptions } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from '../security/data-converter';
import { WORKFLOW_TRACING_INTERCEPTORS } from './tracing';
import { WORKFLOW_PRELOAD_MODULES } from './workflow-preload-modules';

export { WORKFLOW_PRELOAD_MODULES };

/** What every bundle of Showrunner's workflows is built with, prebuilt (build:workflows, tests, benches) or not. */
export function workflowBundleOptions(): Pick<
  BundleOptions,
  'failureConverterPath' | 'workflowInterceptorModules' | 'preloadModules'
> {
  return {
    // The same failure converter as the worker's data converter, or workflow failures would reach history unencrypted.
    failureConverterPath: FAILURE_CONVERTER_PATH,
    // Per run, from its memo; spans leave only a worker with SHOWRUNNER_OTEL_ENABLED=true (worker/tracing.ts).
    workflowInterceptorModules: [WORKFLOW_TRACING_INTERCEPTORS],
    preloadModules: [...WORKFLOW_PRELOAD_MODULES],
  };
}

/** For Worker.create: a worker given `workflowsPath` bundles the workflows itself, with the same preloaded modules. */
export function workerBundlerOptions(
  workflows: Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'>,
): Pick<WorkerOptions, 'bundlerOptions'> {
  return workflows.workflowBundle ? {} : { bundlerOptions: { preloadModules: [...WORKFLOW_PRELOAD_MODULES] } };
}
