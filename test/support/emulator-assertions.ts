import assert from 'node:assert/strict';
import { EmulatorControlError } from '../../emulator/src';

/**
 * Asserts that `promise` rejects with an AWS SDK error of this name (and HTTP status, when given); resolves with
 * the error so a test can check its message.
 */
export async function rejectsWithSdkError(promise: Promise<unknown>, name: string, status?: number): Promise<Error> {
  let caught: unknown;
  await promise.then(
    () => assert.fail(`expected ${name}, but the call succeeded`),
    (e: unknown) => (caught = e),
  );
  const error = caught as Error & { $metadata?: { httpStatusCode?: number } };
  assert.equal(error.name, name, `expected ${name}, got ${error.name}: ${error.message}`);
  if (status !== undefined) assert.equal(error.$metadata?.httpStatusCode, status);
  return error;
}

/** Asserts that a control API call rejects with this HTTP status and error type; resolves with the error. */
export async function rejectsWithControlError(
  promise: Promise<unknown>,
  status: number,
  type: string,
): Promise<EmulatorControlError> {
  let caught: unknown;
  await promise.then(
    () => assert.fail(`expected HTTP ${status} ${type}, but the call succeeded`),
    (e: unknown) => (caught = e),
  );
  assert.ok(caught instanceof EmulatorControlError, `expected EmulatorControlError, got ${String(caught)}`);
  assert.equal(caught.status, status, caught.message);
  assert.equal(caught.type, type, caught.message);
  return caught;
}
