/*
 * Fallback for machines without Go: let the Temporal TypeScript SDK download the pinned CLI release.
 *
 * `@temporalio/testing`'s `TestWorkflowEnvironment.createLocal()` downloads the CLI from temporal.download into
 * `downloadDir` (file name `temporal-sdk-typescript-<version>`-ish, decided by sdk-core) and starts it. We start a
 * throwaway server only to trigger that download, tear it down, then move the binary into our cache so every later
 * caller sees an ordinary cached binary and the rest of the tooling has a single code path.
 *
 * UNTESTED here: the development sandbox has no access to temporal.download and the SDK package may not be
 * installed. The module is loaded dynamically so the project type-checks and runs without it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isExecutableFile } from './executables';
import { withFileLock } from './file-lock';
import { cachedToolDir, cachedToolPath, toolsCacheDir } from './tool-cache';
import { toolSpec } from './tool-versions';

interface SdkTestingModule {
  TestWorkflowEnvironment: {
    createLocal(options: {
      server: {
        ip?: string;
        executable: { type: 'cached-download'; version: string; downloadDir: string; ttl: string };
      };
    }): Promise<{ teardown(): Promise<void> }>;
  };
}

const SDK_TESTING_MODULE = '@temporalio/testing';

export async function downloadTemporalCliViaSdk(): Promise<string> {
  const spec = toolSpec('temporal');
  const finalPath = cachedToolPath(spec);
  const downloadDir = path.join(toolsCacheDir(), `.sdk-download-${spec.name}-${spec.version}`);
  fs.mkdirSync(downloadDir, { recursive: true });
  return withFileLock(path.join(toolsCacheDir(), `.${spec.name}-${spec.version}.lock`), async () => {
    if (isExecutableFile(finalPath)) return finalPath;
    const sdk = await loadSdkTesting();
    process.stderr.write(`[showrunner tools] Go not found; downloading Temporal CLI v${spec.version} via the SDK…\n`);
    const env = await sdk.TestWorkflowEnvironment.createLocal({
      // The release tags on temporal.download carry a leading "v"; the ttl keeps sdk-core from re-downloading daily.
      server: {
        ip: '127.0.0.1',
        executable: { type: 'cached-download', version: `v${spec.version}`, downloadDir, ttl: '3650d' },
      },
    });
    await env.teardown();
    const downloaded = fs
      .readdirSync(downloadDir)
      .filter((f) => f.includes(spec.version) && !f.endsWith('.downloading'))
      .map((f) => path.join(downloadDir, f))
      .find(isExecutableFile);
    if (!downloaded) throw new Error(`The SDK started a dev server but left no CLI binary in ${downloadDir}`);
    fs.mkdirSync(cachedToolDir(spec), { recursive: true });
    fs.renameSync(downloaded, finalPath);
    return finalPath;
  });
}

async function loadSdkTesting(): Promise<SdkTestingModule> {
  try {
    return (await import(SDK_TESTING_MODULE)) as SdkTestingModule;
  } catch (error) {
    throw new Error(
      `Temporal CLI is missing, Go is not installed to build it, and ${SDK_TESTING_MODULE} (which can download it) ` +
        `could not be loaded: ${(error as Error).message}. Install Go, or set TEMPORAL_CLI to a temporal binary.`,
    );
  }
}
