import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  OpenTelemetryInboundInterceptor,
  OpenTelemetryInternalsInterceptor,
  OpenTelemetryOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/workflow';
import {
  TRACING_ENABLED_VARIABLE,
  WORKFLOW_TRACING_MEMO,
  workflowTracingFromEnv,
  workflowTracingMemo,
  workflowTracingOn,
} from '../../contracts/workflow-tracing';
import { FORWARDED_METHODS } from '../../workflows/tracing-interceptors';

/** The methods a class's instances have from its prototype chain, short of Object's. */
function methodsOf(cls: { prototype: object }): string[] {
  const names = new Set<string>();
  for (let p: object | null = cls.prototype; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null)
    for (const name of Object.getOwnPropertyNames(p)) if (name !== 'constructor') names.add(name);
  return [...names];
}

void describe('workflow tracing chosen per run', () => {
  void test('every method the OpenTelemetry workflow interceptors implement is forwarded for a traced run', () => {
    const implemented = {
      inbound: methodsOf(OpenTelemetryInboundInterceptor),
      outbound: methodsOf(OpenTelemetryOutboundInterceptor),
      internals: methodsOf(OpenTelemetryInternalsInterceptor),
    };
    for (const kind of ['inbound', 'outbound', 'internals'] as const) {
      const forwarded: readonly string[] = FORWARDED_METHODS[kind];
      assert.deepEqual(
        implemented[kind].filter((name) => !forwarded.includes(name)),
        [],
        `${kind} methods the interceptor has and the forwarder would drop`,
      );
    }
    // The ones the update order depends on are among them.
    assert.ok(implemented.inbound.includes('handleUpdate') && implemented.inbound.includes('execute'));
  });

  void test('a run is traced unless its memo says otherwise: recorded runs and foreign starters keep tracing', () => {
    assert.equal(workflowTracingOn(undefined), true);
    assert.equal(workflowTracingOn({}), true);
    assert.equal(workflowTracingOn(workflowTracingMemo(true)), true);
    assert.equal(workflowTracingOn(workflowTracingMemo(false)), false);
    // Only an explicit false turns it off: a memo someone else wrote with another value keeps the default.
    assert.equal(workflowTracingOn({ [WORKFLOW_TRACING_MEMO]: 'false' }), true);
  });

  void test("a starter's environment decides, and a bad value is refused with the variable named", () => {
    assert.equal(workflowTracingFromEnv({}), false);
    assert.equal(workflowTracingFromEnv({ [TRACING_ENABLED_VARIABLE]: 'false' }), false);
    assert.equal(workflowTracingFromEnv({ [TRACING_ENABLED_VARIABLE]: 'true' }), true);
    assert.throws(
      () => workflowTracingFromEnv({ [TRACING_ENABLED_VARIABLE]: 'yes' }),
      /SHOWRUNNER_OTEL_ENABLED must be true or false, not "yes"/,
    );
  });
});
