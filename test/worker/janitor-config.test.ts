import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { loadJanitorConfig } from '../../worker/janitor-config';

void describe('worker configuration: the janitor Schedule', () => {
  void test('off unless SHOWRUNNER_JANITOR_SCHEDULE=true; a dry run unless SHOWRUNNER_JANITOR_REMOVE=true', () => {
    assert.equal(loadJanitorConfig({}, 'us-east-1'), undefined);
    assert.deepEqual(loadJanitorConfig({ SHOWRUNNER_JANITOR_SCHEDULE: 'true' }, 'eu-west-1'), {
      scheduleId: 'showrunner-janitor',
      regions: ['eu-west-1'],
      intervalMs: 15 * 60_000,
      gracePeriodMs: 60 * 60_000,
      dryRun: true,
    });
    const config = loadJanitorConfig(
      {
        SHOWRUNNER_JANITOR_SCHEDULE: 'true',
        SHOWRUNNER_JANITOR_SCHEDULE_ID: 'team-a-janitor',
        SHOWRUNNER_JANITOR_REGIONS: 'us-east-1, eu-west-1,us-east-1',
        SHOWRUNNER_JANITOR_INTERVAL: '5m',
        SHOWRUNNER_JANITOR_GRACE: 'PT2H',
        SHOWRUNNER_JANITOR_REMOVE: 'true',
        SHOWRUNNER_JANITOR_MAX_REMOVALS: '50',
      },
      'us-east-1',
    );
    assert.deepEqual(config, {
      scheduleId: 'team-a-janitor',
      regions: ['us-east-1', 'eu-west-1'],
      intervalMs: 5 * 60_000,
      gracePeriodMs: 2 * 60 * 60_000,
      dryRun: false,
      maxRemovals: 50,
    });
  });

  void test('bad settings are refused with the variable and the rule', () => {
    const rejects = (env: NodeJS.ProcessEnv, pattern: RegExp) =>
      assert.throws(() => loadJanitorConfig({ SHOWRUNNER_JANITOR_SCHEDULE: 'true', ...env }, 'us-east-1'), pattern);
    rejects({ SHOWRUNNER_JANITOR_REGIONS: 'us-east-1,Mars' }, /SHOWRUNNER_JANITOR_REGIONS.*AWS regions/);
    rejects({ SHOWRUNNER_JANITOR_INTERVAL: 'often' }, /SHOWRUNNER_JANITOR_INTERVAL: must be a duration/);
    rejects({ SHOWRUNNER_JANITOR_REMOVE: 'yes' }, /SHOWRUNNER_JANITOR_REMOVE/);
    rejects({ SHOWRUNNER_JANITOR_SCHEDULE_ID: 'a b' }, /SHOWRUNNER_JANITOR_SCHEDULE_ID/);
  });

  void test('the compose stack’s worker ensures the janitor, as a dry run by default', () => {
    const compose = parse(fs.readFileSync(path.resolve(__dirname, '../../docker-compose.yml'), 'utf8'), {
      merge: true,
    }) as { services: Record<string, { environment?: Record<string, string> }> };
    const env = { ...compose.services.worker!.environment };
    // `${VAR:-default}` as docker-compose resolves it when VAR is unset.
    for (const [k, v] of Object.entries(env)) env[k] = String(v).replace(/^\$\{[A-Z0-9_]+:-([^}]*)\}$/, '$1');
    const config = loadJanitorConfig(env, 'us-east-1');
    assert.ok(config, 'SHOWRUNNER_JANITOR_SCHEDULE=true in the worker service');
    assert.equal(config.dryRun, true);
  });
});
