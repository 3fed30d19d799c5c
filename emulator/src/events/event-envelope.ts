import { randomUUID } from 'node:crypto';
import type { IvsDetailType, IvsEvent } from './types';

/** Where and when an event happened; `time` comes from the emulator clock, not the host clock. */
export interface EventContext {
  account: string;
  region: string;
  /** Emulated epoch milliseconds. */
  time: number;
}

/** EventBridge writes `time` to whole seconds (`2024-01-01T12:00:00Z`); consumers that parse it strictly expect no millis. */
export function toEventTime(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The last path segment of an ARN, e.g. the composition id of a composition ARN. */
export function arnResourceId(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/** Fills the envelope fields every `aws.ivs` event shares. */
export function ivsEvent(
  detailType: IvsDetailType,
  context: EventContext,
  resources: string[],
  detail: Record<string, unknown>,
): IvsEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': detailType,
    source: 'aws.ivs',
    account: context.account,
    time: toEventTime(context.time),
    region: context.region,
    resources,
    detail,
  };
}
