import { z } from 'zod/mini';
import { fieldIssues, inlineIssues } from './issues';
import { ATTRIBUTES, attributesFit, CAPABILITIES, TOKEN_MINUTES, USER_ID_MAX_LENGTH } from './participants';
import { REASON_MAX_LENGTH } from './show-rules';
import './zod-english';

/**
 * The arguments of the show workflow's updates (contracts/show-messages.ts), validated before an update is accepted
 * into history. The schemas use zod's tree-shakable build (zod/mini) so the workflow bundle does not carry zod's
 * classic API, with zod's English messages (./zod-english), so a rejection reads exactly as the same mistake in a
 * show spec.
 *
 * Not among the modules every workflow shares (workflows/shared-modules.ts): zod's string-format checks (the ISO
 * date-time of `extend`) reset their pattern's `lastIndex` on every parse, which the sandbox's deep freeze turns
 * into a TypeError. Each workflow evaluates it for itself.
 */

const reason = z.optional(z.string().check(z.maxLength(REASON_MAX_LENGTH)));

export const endArgsSchema = z.strictObject({ reason });
export const extendArgsSchema = z.strictObject({ endAt: z.iso.datetime({ offset: true }) });
export const issueTokenArgsSchema = z.strictObject({
  userId: z.string().check(z.minLength(1), z.maxLength(USER_ID_MAX_LENGTH)),
  durationMinutes: z.optional(z.int().check(z.minimum(TOKEN_MINUTES.min), z.maximum(TOKEN_MINUTES.max))),
  capabilities: z.optional(z.array(z.enum(CAPABILITIES)).check(z.minLength(1), z.maxLength(CAPABILITIES.length))),
  attributes: z.optional(
    z
      .record(z.string().check(z.minLength(1), z.maxLength(ATTRIBUTES.keyMaxLength)), z.string())
      .check(z.refine(attributesFit, ATTRIBUTES.tooLarge)),
  ),
});
export const restartArgsSchema = z.strictObject({ reason });

export type EndArgs = z.infer<typeof endArgsSchema>;
export type ExtendArgs = z.infer<typeof extendArgsSchema>;
export type IssueTokenArgs = z.infer<typeof issueTokenArgsSchema>;
export type RestartArgs = z.infer<typeof restartArgsSchema>;

/** Throws an Error naming each failing field and rule; used by the update validators. */
export function validateArgs<S extends z.ZodMiniType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (!result.success)
    throw new Error(`Invalid arguments: ${inlineIssues(fieldIssues(result.error.issues, '(args)'))}`);
  return result.data;
}
