import ms from 'ms';
import { z } from 'zod';

/**
 * Durations are written like Temporal's ("90s", "5m", "1h", "2 days") or as ISO 8601 ("PT1H30M"), and carried
 * as milliseconds so workflow code never parses strings.
 */
const ISO_DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

export function parseDuration(text: string): number | undefined {
  const iso = ISO_DURATION.exec(text.trim());
  if (iso && text.trim() !== 'P' && !text.trim().endsWith('T')) {
    const [, d, h, m, s] = iso;
    return ((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(m ?? 0)) * 60_000 + Math.round(Number(s ?? 0) * 1000);
  }
  if (text.trim() === '') return undefined;
  let parsed: number | undefined;
  try {
    parsed = ms(text as ms.StringValue);
  } catch {
    return undefined;
  }
  return typeof parsed === 'number' && Number.isFinite(parsed) ? parsed : undefined;
}

/** A duration field: a string as above, or a number of milliseconds; bounded inclusively. */
export function duration(options: { min?: number; max?: number } = {}) {
  const { min = 0, max = Number.MAX_SAFE_INTEGER } = options;
  return z.union([z.string(), z.number()]).transform((value, ctx) => {
    const millis = typeof value === 'number' ? value : parseDuration(value);
    if (millis === undefined || !Number.isFinite(millis)) {
      ctx.addIssue({
        code: 'custom',
        message: `must be a duration like "90s", "5m", "1h" or "PT1H" (got ${JSON.stringify(value)})`,
      });
      return z.NEVER;
    }
    if (millis < min || millis > max) {
      ctx.addIssue({
        code: 'custom',
        message: `must be between ${formatDuration(min)} and ${formatDuration(max)} (got ${formatDuration(millis)})`,
      });
      return z.NEVER;
    }
    return Math.round(millis);
  });
}

/** Exact, so a bound and the rejected value never print alike ("1d 1h", not a rounded "1d"). */
export function formatDuration(millis: number): string {
  if (millis === 0) return '0s';
  const units: [string, number][] = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1_000],
    ['ms', 1],
  ];
  const parts: string[] = [];
  let rest = Math.round(millis);
  for (const [unit, size] of units) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join(' ');
}
