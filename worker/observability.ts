import { DefaultLogger, Runtime, type LogEntry } from '@temporalio/worker';
import { z } from 'zod';
import { scrubSecrets, scrubValue } from '../security/scrub-secrets';
import { fieldIssues, issueList } from '../contracts/issues';

/**
 * Process-wide telemetry: structured JSON logs (one object per line, with the workflow and show IDs the SDK and
 * the workflows attach) and, when an address is given, Prometheus metrics — Temporal's own plus Showrunner's
 * (showrunner_show_phase_entries, showrunner_show_incidents, showrunner_composition_restarts,
 * showrunner_ivs_api_errors).
 */
export const observabilitySchema = z.object({
  SHOWRUNNER_LOG_LEVEL: z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
  /** e.g. 0.0.0.0:9464; metrics at /metrics. */
  SHOWRUNNER_METRICS_ADDRESS: z
    .string()
    .regex(/^[^:]*:\d+$/, 'must be host:port')
    .optional(),
});

/** Log metadata may carry errors and workflow info; never payloads. Errors become name and message only. */
function safeMeta(meta: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(meta ?? {})) {
    out[key] = value instanceof Error ? { name: value.name, message: value.message } : value;
  }
  return out;
}

/** Messages and metadata are scrubbed of token-shaped strings: activity errors may quote what they were given. */
export function jsonLogLine(entry: LogEntry): string {
  return JSON.stringify({
    ts: new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString(),
    level: entry.level,
    msg: scrubSecrets(entry.message),
    ...scrubValue(safeMeta(entry.meta)),
  });
}

export function installRuntime(env: NodeJS.ProcessEnv = process.env): { metricsAddress?: string } {
  const result = observabilitySchema.safeParse(env);
  if (!result.success) {
    throw new Error(
      issueList('Invalid observability configuration', fieldIssues(result.error.issues, '(environment)')),
    );
  }
  const { SHOWRUNNER_LOG_LEVEL: level, SHOWRUNNER_METRICS_ADDRESS: metricsAddress } = result.data;
  Runtime.install({
    logger: new DefaultLogger(level, (entry) => process.stdout.write(`${jsonLogLine(entry)}\n`)),
    telemetryOptions: metricsAddress ? { metrics: { prometheus: { bindAddress: metricsAddress } } } : undefined,
  });
  return { metricsAddress };
}
