import { operationModels } from '../model/constraints';
import { formatViolations, validateShape } from '../model/validate-input';

/**
 * The emulator checking itself against the model, on (`selfCheck: true`) in the test suites: every response body must
 * satisfy its operation's output shape (required members, enums, patterns, lengths), and every error an operation
 * answers must be one of the errors its model entry lists. A failure is the emulator's bug, not the caller's, so the
 * caller gets a 500 and the failure is remembered for the test harness to report.
 */
export function responseViolation(operation: string, body: unknown): string | undefined {
  const model = operationModels[operation];
  if (!model?.output) return undefined;
  const violations = validateShape(model.output, body ?? {});
  return violations.length > 0
    ? `${operation} answered a body its output shape ${model.output} does not allow: ${formatViolations(violations)}`
    : undefined;
}

export function undocumentedError(operation: string, errorType: string): string | undefined {
  const listed = operationModels[operation]?.errors ?? [];
  return listed.includes(errorType)
    ? undefined
    : `${operation} answered ${errorType}, which its model entry does not list (${listed.join(', ')})`;
}
