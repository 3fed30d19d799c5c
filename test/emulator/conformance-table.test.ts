import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { coverageLine, evaluate, README_PATH, renderTable, TABLE_PATH } from '../../emulator/conformance/render-table';
import { CONFORMANCE_RULES } from '../../emulator/conformance/rules';
import { ensureBoto3Venv } from './boto3/python-venv';

const REPO = path.resolve(__dirname, '..', '..');

/** Titles of the node:test tests in a file, as written (single, double or backtick quotes). */
function testTitles(file: string): Set<string> {
  const source = fs.readFileSync(file, 'utf8');
  const titles = new Set<string>();
  for (const m of source.matchAll(/\btest\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/g))
    titles.add(m[2]!.replace(/\\(.)/g, '$1'));
  return titles;
}

/**
 * emulator/conformance.md is what the model's statements and the hand-kept rules make of it, every statement is
 * answered by exactly one rule, every enforced rule names tests that exist, and the statements are those of the
 * pinned botocore model.
 */
void describe('conformance table', () => {
  void test('every behavioural statement of the model is answered by exactly one rule', () => {
    assert.deepEqual(evaluate().problems, []);
  });

  void test('emulator/conformance.md and the coverage figure in emulator/README.md are up to date', () => {
    assert.equal(fs.readFileSync(TABLE_PATH, 'utf8'), renderTable(), 'run npm run conformance:table');
    assert.ok(
      fs.readFileSync(README_PATH, 'utf8').includes(coverageLine()),
      `emulator/README.md must carry the figure: ${coverageLine()}`,
    );
  });

  void test('every rule marked enforced names tests that exist', () => {
    const missing: string[] = [];
    for (const rule of CONFORMANCE_RULES) {
      if (rule.status !== 'enforced') continue;
      assert.ok(rule.tests.length > 0, `${rule.id} is enforced but names no test`);
      for (const ref of rule.tests) {
        const file = path.join(__dirname, ref.file);
        if (!fs.existsSync(file) || !testTitles(file).has(ref.name))
          missing.push(`${rule.id}: test/emulator/${ref.file}: "${ref.name}"`);
      }
    }
    assert.deepEqual(missing, []);
  });

  void test('a rule that is not followed says why', () => {
    for (const rule of CONFORMANCE_RULES)
      if (rule.status === 'not-followed') assert.ok(rule.reason.length > 20, `${rule.id} needs a reason`);
  });

  void test("the model's statements and constraint tables are those of the pinned botocore", async () => {
    const { python, botocoreDir } = await ensureBoto3Venv();
    const check = await promisify(execFile)(
      python,
      [path.join(REPO, 'scripts', 'generate-ivs-constraints.py'), '--botocore', botocoreDir, '--check'],
      { cwd: REPO },
    ).then(
      () => ({ ok: true, stderr: '' }),
      (e: { stderr?: string }) => ({ ok: false, stderr: e.stderr ?? '' }),
    );
    assert.ok(check.ok, check.stderr);
  });
});
