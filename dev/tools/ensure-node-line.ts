import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import toolVersions from '../../scripts/tool-versions.json';
import { isExecutableFile } from './executables';
import { withFileLock } from './file-lock';
import { toolsCacheDir } from './tool-cache';

const run = promisify(execFile);
const pins = toolVersions['node-lines'];

/** The pinned Node.js versions by major line ("22" → "22.23.5"). */
export function pinnedNodeLines(): Map<string, string> {
  return new Map(pins.versions.map((version) => [version.split('.')[0]!, version]));
}

/**
 * The node binary of a pinned major line, fetched once into the tool cache. The npm registry carries the official
 * Linux/macOS builds as `node-<platform>-<arch>` packages (the ones the `node` package installs), so no download
 * site beyond the registry is needed. Only the `node` binary comes with them: npm itself keeps running from the
 * installed Node, under the chosen runtime once it is first on PATH.
 */
export async function ensureNodeLine(major: string): Promise<string> {
  const version = pinnedNodeLines().get(major);
  if (!version)
    throw new Error(
      `Node.js ${major} is not a pinned line: scripts/tool-versions.json "node-lines" has ${pins.versions.join(', ')}`,
    );
  const pkg = pins.npmPackage.replace('{platform}', process.platform).replace('{arch}', process.arch);
  const dir = path.join(toolsCacheDir(), `node-${version}`);
  const binary = path.join(dir, 'node_modules', pkg, 'bin', 'node');
  if (isExecutableFile(binary)) return binary;
  fs.mkdirSync(toolsCacheDir(), { recursive: true });
  await withFileLock(`${dir}.lock`, async () => {
    if (isExecutableFile(binary)) return;
    process.stderr.write(`Fetching Node.js ${version} (${pkg} from the npm registry) into ${dir}\n`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    // --ignore-scripts: the package is a prebuilt binary; nothing of it needs to run at install time.
    await run('npm', [
      'install',
      '--prefix',
      dir,
      '--no-save',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      `${pkg}@${version}`,
    ]);
  });
  if (!isExecutableFile(binary)) throw new Error(`${pkg}@${version} installed, but ${binary} is not there`);
  return binary;
}

/**
 * The Node.js line production runs: the Dockerfile's image (test/deploy/compose-config.test.ts holds them together).
 * The benches run their workers on it, so their figures are production's (see worker/async-context.ts for why the
 * line matters to a worker's memory).
 */
export const PRODUCTION_NODE_LINE = '24';

/** The production line's node binary and version, fetched once into the tool cache. */
export async function productionNode(): Promise<{ path: string; version: string }> {
  return { path: await ensureNodeLine(PRODUCTION_NODE_LINE), version: pinnedNodeLines().get(PRODUCTION_NODE_LINE)! };
}
