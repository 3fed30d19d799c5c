import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { withFileLock } from '../../../dev/tools/file-lock';
import { showrunnerCacheDir } from '../../../dev/tools/tool-cache';

const run = promisify(execFile);

export const REQUIREMENTS = path.join(__dirname, 'requirements.txt');

export interface PythonVenv {
  /** The environment's interpreter. */
  python: string;
  /** Its installed botocore package directory (holds the service models). */
  botocoreDir: string;
}

/**
 * A Python virtual environment with the pinned requirements, built once per requirements file outside the repository
 * (~/.cache/showrunner/python/boto3-<hash>) with pip from PyPI and reused. Parallel test files wait on a file lock
 * while the first builds it. `SHOWRUNNER_PYTHON` picks the interpreter that creates it (default python3).
 */
export async function ensureBoto3Venv(): Promise<PythonVenv> {
  const requirements = fs.readFileSync(REQUIREMENTS);
  const hash = createHash('sha256').update(requirements).digest('hex').slice(0, 12);
  const root = path.join(showrunnerCacheDir(), 'python');
  const dir = path.join(root, `boto3-${hash}`);
  const python = path.join(dir, 'bin', 'python');
  fs.mkdirSync(root, { recursive: true });
  await withFileLock(path.join(root, `.boto3-${hash}.lock`), async () => {
    if (fs.existsSync(path.join(dir, '.complete'))) return;
    // Under the lock, so a directory without .complete is a crashed build: start it over.
    fs.rmSync(dir, { recursive: true, force: true });
    await run(process.env.SHOWRUNNER_PYTHON ?? 'python3', ['-m', 'venv', dir]);
    await run(python, [
      '-m',
      'pip',
      'install',
      '--quiet',
      '--disable-pip-version-check',
      '--no-input',
      '-r',
      REQUIREMENTS,
    ]);
    fs.writeFileSync(path.join(dir, '.complete'), new Date().toISOString());
  });
  const { stdout } = await run(python, ['-c', 'import botocore, os; print(os.path.dirname(botocore.__file__))']);
  return { python, botocoreDir: stdout.trim() };
}
