import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowBundleOptions } from '../../worker/workflow-bundle-options';

const REPO = path.resolve(__dirname, '../..');
/**
 * Top-level folders that never reach the bundle. Everything else is hashed: folders move and get renamed, and a
 * stale bundle would run old workflow code, while an extra rebuild only costs seconds.
 */
const NOT_BUNDLED = new Set(['node_modules', 'test', 'bench', 'dev', 'emulator', 'dist', 'deploy', 'examples']);

function sourceDigest(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) hash.update(full).update(readFileSync(full));
    }
  };
  for (const entry of readdirSync(REPO, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name)))
    if (entry.isDirectory() && !entry.name.startsWith('.') && !NOT_BUNDLED.has(entry.name))
      walk(path.join(REPO, entry.name));
  // Bundles built with other options (interceptors, preloaded modules) must not be reused.
  hash.update(JSON.stringify(workflowBundleOptions()));
  return hash.digest('hex').slice(0, 16);
}

/** The bundler's progress lines would bury test and bench output: they say nothing when bundling works. */
export const SILENT_BUNDLER_LOGGER = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/**
 * Bundles the workflows once per source version and reuses the file across test files, runs and local stacks:
 * bundling takes several seconds, and production workers load a prebuilt bundle too.
 */
export async function cachedWorkflowBundle(): Promise<{ codePath: string }> {
  const codePath = path.join(os.tmpdir(), `showrunner-workflows-${sourceDigest()}.js`);
  if (!existsSync(codePath)) {
    const { code } = await bundleWorkflowCode({
      workflowsPath: path.join(REPO, 'workflows'),
      ...workflowBundleOptions(),
      logger: SILENT_BUNDLER_LOGGER,
    });
    // Unique per call: scenarios in one process may bundle at the same time and must not share a temp file.
    const temp = `${codePath}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(temp, code);
    await rename(temp, codePath);
  }
  return { codePath };
}
