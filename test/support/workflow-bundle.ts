import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from '../../security/data-converter';
import { WORKFLOW_TRACING_INTERCEPTORS } from '../../worker/tracing';

const REPO = path.resolve(__dirname, '../..');
// Everything the bundle may compile in; security/ holds the failure converter.
const SOURCES = ['workflows', 'contracts', 'show-spec', 'activities', 'security'];

function sourceDigest(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) hash.update(full).update(readFileSync(full));
    }
  };
  for (const dir of SOURCES) walk(path.join(REPO, dir));
  // Bundles cached before the tracing interceptors were compiled in must not be reused.
  hash.update(WORKFLOW_TRACING_INTERCEPTORS);
  return hash.digest('hex').slice(0, 16);
}

/**
 * Bundles the workflows once per source version and reuses the file across test files and runs: bundling
 * takes several seconds, and production workers load a prebuilt bundle too.
 */
export async function cachedWorkflowBundle(): Promise<{ codePath: string }> {
  const codePath = path.join(os.tmpdir(), `showrunner-workflows-${sourceDigest()}.js`);
  if (!existsSync(codePath)) {
    const { code } = await bundleWorkflowCode({
      workflowsPath: path.join(REPO, 'workflows'),
      failureConverterPath: FAILURE_CONVERTER_PATH,
      workflowInterceptorModules: [WORKFLOW_TRACING_INTERCEPTORS],
      logger: {
        log: () => undefined,
        trace: () => undefined,
        debug: () => undefined,
        info: () => undefined,
        warn: () => undefined,
        error: () => undefined,
      },
    });
    // Unique per call: scenarios in one process may bundle at the same time and must not share a temp file.
    const temp = `${codePath}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(temp, code);
    await rename(temp, codePath);
  }
  return { codePath };
}
