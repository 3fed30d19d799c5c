import { parseDuration } from '../../../show-spec/durations';
import { usageError } from '../cli-errors';

/** A duration option ("90s", "5m", "PT1H"), checked when the command runs so help never loads the spec parser. */
export function durationOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDuration(value);
  if (ms === undefined || ms <= 0)
    throw usageError(`${name} must be a duration like "90s", "5m", "1h" or "PT1H" (got "${value}")`);
  return ms;
}
