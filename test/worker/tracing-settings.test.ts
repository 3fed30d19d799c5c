import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { installTracing, tracingOff } from '../../worker/tracing';

// One rule reads SHOWRUNNER_OTEL_ENABLED for workers and starters (contracts/workflow-tracing.ts): a deployment that
// sets it once for both must get the same answer from each.
void describe('the worker reads its tracing switch as the CLI does', () => {
  void test('unset or empty is off, without registering anything', () => {
    assert.equal(installTracing({}), tracingOff);
    assert.equal(installTracing({ SHOWRUNNER_OTEL_ENABLED: '' }), tracingOff);
    assert.equal(installTracing({ SHOWRUNNER_OTEL_ENABLED: 'false' }), tracingOff);
  });

  void test('anything but true or false is refused with the variable named', () => {
    assert.throws(
      () => installTracing({ SHOWRUNNER_OTEL_ENABLED: 'yes' }),
      /SHOWRUNNER_OTEL_ENABLED must be true or false, not "yes"/,
    );
  });

  void test('the other settings are checked even when tracing is off', () => {
    assert.throws(
      () => installTracing({ SHOWRUNNER_OTEL_EXPORTER: 'zipkin' }),
      /Invalid tracing configuration.*SHOWRUNNER_OTEL_EXPORTER/s,
    );
  });
});
