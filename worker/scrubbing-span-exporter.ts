import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { scrubSecrets, scrubValue } from '../security/scrub-secrets';

/**
 * A span as exported, with token-shaped strings removed from what errors put there: the status message, attribute
 * values and event attributes (`exception.message`, `exception.stacktrace`). The span itself is left untouched; the
 * copy reads everything else through its prototype.
 */
export function scrubSpan(span: ReadableSpan): ReadableSpan {
  const copy = Object.create(span) as ReadableSpan;
  Object.defineProperties(copy, {
    status: {
      value: span.status.message ? { ...span.status, message: scrubSecrets(span.status.message) } : span.status,
    },
    attributes: { value: scrubValue({ ...span.attributes }) },
    events: {
      value: span.events.map((e) => (e.attributes ? { ...e, attributes: scrubValue({ ...e.attributes }) } : e)),
    },
  });
  return copy;
}

/** Wraps an exporter so that no span leaves the process with a secret in an error message. */
export function scrubbingExporter(inner: SpanExporter): SpanExporter {
  return {
    export: (spans: ReadableSpan[], done: Parameters<SpanExporter['export']>[1]) =>
      inner.export(spans.map(scrubSpan), done),
    shutdown: () => inner.shutdown(),
    ...(inner.forceFlush ? { forceFlush: () => inner.forceFlush!() } : {}),
  };
}
