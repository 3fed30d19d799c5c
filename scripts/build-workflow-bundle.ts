import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from '../security/data-converter';
import { WORKFLOW_TRACING_INTERCEPTORS } from '../worker/tracing';

/** `npm run build:workflows`: the prebuilt workflow bundle production workers load (SHOWRUNNER_WORKFLOW_BUNDLE). */
async function main(): Promise<void> {
  const out = path.resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
  // The same failure converter as the worker's data converter, or workflow failures would reach history unencrypted.
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    failureConverterPath: FAILURE_CONVERTER_PATH,
    // Inert unless the worker runs with SHOWRUNNER_OTEL_ENABLED=true (worker/tracing.ts).
    workflowInterceptorModules: [WORKFLOW_TRACING_INTERCEPTORS],
  });
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, code);
  console.log(`wrote ${out} (${Math.round(code.length / 1024)} KiB)`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
