import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';

const REPO = path.resolve(__dirname, '../..');

/**
 * `npm run typecheck` checks workflows/ and contracts/ without Node's types (tsconfig.workflows.json), so a Node
 * global (Buffer, process, setTimeout) in workflow code fails to compile. That check is only as good as the
 * program it builds: a type import that reaches a module typed against Node (an activity, an SDK client) would
 * bring Node's types back in and silently let such code through. This keeps them out.
 */
void test('the workflow type-check program holds no Node types', () => {
  const configPath = path.join(REPO, 'tsconfig.workflows.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, '\n')),
    },
  );
  assert.ok(parsed);
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
  const files = program.getSourceFiles().map((f) => path.relative(REPO, f.fileName));
  assert.ok(
    files.some((f) => f.startsWith('workflows/show/')),
    'the program covers the workflows',
  );
  assert.deepEqual(
    files.filter((f) => f.includes('@types/node/')),
    [],
    'a module typed against Node reached the workflow program; see --explainFiles for which import brought it',
  );
  const outside = files.filter(
    (f) => !f.startsWith('node_modules/') && !/^(workflows|contracts|timeline|spec|show-spec)\//.test(f),
  );
  assert.deepEqual(
    outside,
    [],
    'workflow code reaches only contracts/, timeline/ (the show’s figures) and the spec’s types',
  );
});
