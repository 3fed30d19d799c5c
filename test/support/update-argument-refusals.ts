import assert from 'node:assert/strict';
import type * as ShowMessages from '../../contracts/show-messages';

/** The message a call throws; fails the test when it does not throw. */
export function rejected(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    return (err as Error).message;
  }
  assert.fail('accepted');
}

type ArgsSchemaName = 'endArgsSchema' | 'extendArgsSchema' | 'issueTokenArgsSchema' | 'restartArgsSchema';

/**
 * Update arguments every update validator must refuse, naming the field and the rule, with the exact message a client
 * sees. Shared by the plain contract test and the one that runs the validators on zod frozen as the workflow sandbox
 * shares it, so both hold the validators to the same words.
 */
export const UPDATE_ARGUMENT_REFUSALS: readonly { schema: ArgsSchemaName; args: unknown; message: string }[] = [
  {
    schema: 'endArgsSchema',
    args: { reason: 'x'.repeat(501) },
    message: 'Invalid arguments: reason: Too big: expected string to have <=500 characters',
  },
  {
    schema: 'restartArgsSchema',
    args: 'now',
    message: 'Invalid arguments: (args): Invalid input: expected object, received string',
  },
  {
    schema: 'extendArgsSchema',
    args: { endAt: '2030-01-01T10:00:00' },
    message: 'Invalid arguments: endAt: Invalid ISO datetime',
  },
  {
    schema: 'endArgsSchema',
    args: { force: true },
    message: 'Invalid arguments: (args): Unrecognized key: "force"',
  },
];

/** Holds every refusal above against the given contracts module (imported, or required after a freeze). */
export function assertUpdateArgumentRefusals(messages: typeof ShowMessages): void {
  for (const { schema, args, message } of UPDATE_ARGUMENT_REFUSALS)
    assert.equal(
      rejected(() => messages.validateArgs(messages[schema], args)),
      message,
      `${schema} ${JSON.stringify(args)}`,
    );
}
