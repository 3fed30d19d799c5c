import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

const REPO = path.resolve(__dirname, '../..');

/** A newcomer finds every top-level folder in the README's layout table, and no folder that is gone. */
void test("README's layout table lists every top-level folder, and only those", () => {
  const tracked = execFileSync('git', ['ls-files'], { cwd: REPO, encoding: 'utf8' }).split('\n');
  const folders = new Set(tracked.filter((f) => f.includes('/')).map((f) => `${f.split('/')[0]}/`));
  const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((s) => s.startsWith('Repository layout')) ?? '';
  const listed = new Set([...section.matchAll(/^\| `([^`]+\/)`/gm)].map((m) => m[1]!));
  assert.ok(listed.size > 0, 'the README has a layout table');
  assert.deepEqual([...folders].filter((f) => !listed.has(f)).sort(), [], 'folders missing from the table');
  assert.deepEqual([...listed].filter((f) => !folders.has(f)).sort(), [], 'folders in the table that do not exist');
});
