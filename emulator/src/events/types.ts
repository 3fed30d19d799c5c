/** EventBridge-shaped events as IVS emits them (source `aws.ivs`). */
export type IvsDetailType =
  'IVS Composition State Change' | 'IVS Participant Recording State Change' | 'IVS Stage Update';

export interface IvsEvent {
  version: '0';
  id: string;
  'detail-type': IvsDetailType;
  source: 'aws.ivs';
  account: string;
  /** RFC 3339, emulated clock. */
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

export interface DeliveryOptions {
  /** Added delay before delivery, emulated ms. */
  delayMs?: number;
  /** Random extra delay up to this many emulated ms, which reorders events. */
  jitterMs?: number;
  /** Probability in [0, 1] that an event is never delivered. */
  dropProbability?: number;
}

export interface WebhookSubscription extends DeliveryOptions {
  id: string;
  url: string;
  /** Only these detail-types; all when absent. */
  detailTypes?: IvsDetailType[];
}

export interface EventSink {
  publish(event: IvsEvent): void;
}
