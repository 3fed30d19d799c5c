import { Context } from '@temporalio/activity';

/** The current attempt, or 1 outside an activity (tests calling activities directly). */
export function currentAttempt(): number {
  try {
    return Context.current().info.attempt;
  } catch {
    return 1;
  }
}

export function heartbeat(details?: unknown): void {
  try {
    Context.current().heartbeat(details);
  } catch {
    // Not running as an activity.
  }
}
