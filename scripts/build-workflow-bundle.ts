import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { tracedBundlePath, workflowBundleOptions } from '../worker/workflow-bundles';

/**
 * `npm run build:workflows [out]`: the prebuilt workflow bundles production workers load (SHOWRUNNER_WORKFLOW_BUNDLE):
 * `out` without the tracing interceptors and `<out>.tracing.js` with them, which a worker with
 * SHOWRUNNER_OTEL_ENABLED=true loads instead (worker/workflow-bundles.ts says why there are two).
 */
async function main(): Promise<void> {
  const out = path.resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
  await mkdir(path.dirname(out), { recursive: true });
  for (const [file, tracing] of [
    [out, false],
    [tracedBundlePath(out), true],
  ] as const) {
    const { code } = await bundleWorkflowCode(workflowBundleOptions(tracing));
    await writeFile(file, code);
    console.log(`wrote ${file} (${Math.round(code.length / 1024)} KiB)`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
