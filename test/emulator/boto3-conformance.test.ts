import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { CreateStorageConfigurationCommand } from '@aws-sdk/client-ivs-realtime';
import { emulatorFixturePerSuite, scaledEmulatorConfig } from '../support/emulator-scenarios';
import { ensureBoto3Venv, type PythonVenv } from './boto3/python-venv';

const SUITE = path.join(__dirname, 'boto3', 'test_boto3_conformance.py');

interface PythonRun {
  code: number | null;
  output: string;
}

/** `python -m unittest -v` reports one line per test: `test_name (module.Class.test_name) ... ok`. */
function outcomes(output: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of output.matchAll(/^(test_\w+) \([^)]*\)(?: \.\.\.|\n.*?\.\.\.) (ok|FAIL|ERROR|skipped.*)$/gms))
    found.set(m[1]!, m[2]!);
  return found;
}

/**
 * The emulator through boto3 (PyPI, pinned in boto3/requirements.txt), next to the AWS CLI tests: the Python suite
 * checks the documented rules through botocore's own serializers, parsers and paginators. The virtual environment is
 * built once outside the repository and reused.
 */
void describe('boto3 conformance', () => {
  const fx = emulatorFixturePerSuite(scaledEmulatorConfig());
  let venv: PythonVenv;
  let run: PythonRun;

  before(async () => {
    venv = await ensureBoto3Venv();
    const bucket = await fx.createBucket('boto3');
    const { storageConfiguration } = await fx.ivs.send(
      new CreateStorageConfigurationCommand({ s3: { bucketName: bucket } }),
    );
    const keys = Array.from({ length: 3 }, () =>
      generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    );
    run = await new Promise<PythonRun>((resolve, reject) => {
      const child = spawn(venv.python, ['-m', 'unittest', '-v', path.basename(SUITE, '.py')], {
        cwd: path.dirname(SUITE),
        env: {
          PATH: process.env.PATH,
          IVS_EMULATOR_ENDPOINT: fx.emulator.endpoint,
          IVS_STORAGE_CONFIGURATION_ARN: storageConfiguration!.arn!,
          IVS_P384_PUBLIC_KEYS: JSON.stringify(keys),
          // No developer configuration may change what botocore sends.
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, output }));
    });
  });

  void test('the pinned boto3 and botocore are the ones installed', async () => {
    const { stdout } = await new Promise<{ stdout: string }>((resolve, reject) => {
      const child = spawn(venv.python, [
        '-c',
        'import boto3, botocore; print(boto3.__version__, botocore.__version__)',
      ]);
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.once('error', reject);
      child.once('close', () => resolve({ stdout: out }));
    });
    assert.equal(stdout.trim(), '1.43.11 1.43.11');
  });

  void test('every case of the Python suite passes', async (t) => {
    const results = outcomes(run.output);
    const cases = fs.readFileSync(SUITE, 'utf8').match(/^ {4}def test_\w+/gm)?.length ?? 0;
    assert.equal(results.size, cases, `expected all ${cases} cases of the suite in its output:\n${run.output}`);
    for (const [name, outcome] of results) {
      await t.test(name, () => assert.equal(outcome, 'ok', run.output));
    }
    assert.equal(run.code, 0, run.output);
  });
});
