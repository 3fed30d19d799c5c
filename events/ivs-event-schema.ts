import { z } from 'zod';
import { ivsArnPattern, ivsArnShape } from '../contracts/arn';
import { fieldIssues, inlineIssues } from '../contracts/issues';

/** An IVS Real-Time resource ARN; the region and account it names decide which IVS client looks it up. */
const ivsArn = z.string().regex(ivsArnPattern(), `must be an IVS ARN (${ivsArnShape()})`);

/**
 * The fields of an `aws.ivs` EventBridge event the endpoint relies on. Everything else passes through: IVS adds
 * detail fields over time, and an event rejected for an unknown field would be lost (EventBridge does not
 * retry a 400).
 */
export const ivsEventSchema = z.looseObject({
  version: z.string().optional(),
  id: z.string().min(1).max(256),
  'detail-type': z.string().min(1).max(256),
  source: z.literal('aws.ivs'),
  account: z.string().optional(),
  time: z.iso.datetime({ offset: true }),
  region: z.string().optional(),
  resources: z.array(ivsArn).min(1).max(10),
  detail: z.looseObject({
    event_name: z.string().min(1).max(256),
    /** Composition events name the composition in `resources` and the stage here. */
    stage_arn: ivsArn.optional(),
  }),
});

export type IvsEventInput = z.output<typeof ivsEventSchema>;

/** A batch is a testing and replay convenience; API destinations deliver one event per request. */
export const MAX_EVENTS_PER_REQUEST = 100;

export type ParsedBody = { ok: true; events: IvsEventInput[] } | { ok: false; error: string; message: string };

/** `[2].detail.event_name` style names, so a 400 says which event and which field. */
function fieldName(path: readonly PropertyKey[]): string {
  const name = path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  return name.startsWith('.') ? name.slice(1) : name;
}

/** Parses a request body: one event object, or a JSON array of them. */
export function parseEventsBody(text: string): ParsedBody {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: 'InvalidJson', message: `The body is not JSON: ${(e as Error).message}` };
  }
  const batch = Array.isArray(json);
  const schema = batch ? z.array(ivsEventSchema).min(1).max(MAX_EVENTS_PER_REQUEST) : ivsEventSchema;
  const result = schema.safeParse(json);
  if (!result.success) {
    const issues = fieldIssues(result.error.issues.slice(0, 5), '(body)', fieldName);
    return { ok: false, error: 'InvalidEvent', message: `Invalid event: ${inlineIssues(issues)}` };
  }
  return { ok: true, events: Array.isArray(result.data) ? result.data : [result.data] };
}
