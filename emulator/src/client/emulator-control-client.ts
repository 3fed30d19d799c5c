import type { IvsEvent, WebhookSubscription } from '../events/types';
import type { FaultRuleInput, FaultRule } from '../simulation/fault-injector';
import type { Inventory } from '../simulation/inventory';
import type { OperationMetrics } from '../usage/api-metrics';

export class EmulatorControlError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

export interface MembershipInfo {
  stageArn: string;
  sessionId: string;
  participantId: string;
  /** Publishing now. */
  publishing: boolean;
  /** Ever published in this session, as the API's Participant.published. */
  published: boolean;
}

export type ParticipantRef = { token: string } | { stageArn: string; participantId: string };

/**
 * Typed client for the emulator's simulation and control API (`/_emulator`). Tests, the demo and chaos runs
 * use it to act as participants and publishers, break destinations and inject faults.
 */
export class EmulatorControlClient {
  /** `token`: the emulator's control token (`--control-token`), when it has one. */
  constructor(
    private readonly endpoint: string,
    private readonly options: { token?: string } = {},
  ) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    // Every request that changes something is JSON, body or not: the control API refuses other content types.
    if (method !== 'GET') headers['content-type'] = 'application/json';
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    const res = await fetch(`${this.endpoint}/_emulator${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as T & { error?: string; message?: string };
    if (!res.ok)
      throw new EmulatorControlError(res.status, json.error ?? 'Error', json.message ?? `HTTP ${res.status}`);
    return json;
  }

  health = () => this.call<{ status: string; s3: boolean; clock: { now: string; scale: number } }>('GET', '/health');
  clock = () => this.call<{ now: string; epochMs: number; scale: number }>('GET', '/clock');
  inventory = () => this.call<Inventory>('GET', '/inventory');
  reset = () => this.call<{ reset: true }>('POST', '/reset');
  metrics = () =>
    this.call<{
      api: Record<string, Record<string, OperationMetrics>>;
      faultsFired: number;
      events: Record<string, number>;
    }>('GET', '/metrics');
  configure = (patch: { quotas?: Record<string, number>; timings?: Record<string, number>; rateLimits?: boolean }) =>
    this.call<unknown>('PATCH', '/config', patch);

  join = (token: string, options: { publish?: boolean; protocol?: 'WHIP' | 'UNKNOWN' } = {}) =>
    this.call<MembershipInfo>('POST', '/participants/join', { token, ...options });
  publish = (ref: ParticipantRef) => this.call<MembershipInfo>('POST', '/participants/publish', ref);
  unpublish = (ref: ParticipantRef) => this.call<MembershipInfo>('POST', '/participants/unpublish', ref);
  leave = (ref: ParticipantRef) => this.call<MembershipInfo>('POST', '/participants/leave', ref);

  connectIngest = (streamKey: string, protocol: 'RTMP' | 'RTMPS' = 'RTMPS') =>
    this.call<{ ingestConfigurationArn: string; stageArn: string; participantId: string; sessionId: string }>(
      'POST',
      '/ingest/connect',
      { streamKey, protocol },
    );
  disconnectIngest = (streamKey: string) =>
    this.call<{ ingestConfigurationArn: string; state: string }>('POST', '/ingest/disconnect', { streamKey });

  setCompositionState = (request: {
    compositionArn: string;
    state: 'RECONNECTING' | 'FAILED' | 'ACTIVE';
    destinationId?: string;
    destinationType?: 'channel' | 's3';
    reason?: string;
  }) =>
    this.call<{ compositionArn: string; state: string; destinations: { id: string; state: string }[] }>(
      'POST',
      '/compositions/state',
      request,
    );
  setChannelBusy = (channelArn: string, busy: boolean) =>
    this.call<{ busyChannels: string[] }>('POST', '/channels/busy', { channelArn, busy });

  addFault = (rule: FaultRuleInput) => this.call<{ fault: FaultRule }>('POST', '/faults', rule).then((r) => r.fault);
  listFaults = () => this.call<{ faults: FaultRule[] }>('GET', '/faults').then((r) => r.faults);
  removeFault = (id: string) => this.call<{ removed: string }>('DELETE', `/faults/${encodeURIComponent(id)}`);
  clearFaults = () => this.call<{ faults: [] }>('DELETE', '/faults');

  subscribe = (subscription: Omit<WebhookSubscription, 'id'>) =>
    this.call<{ subscription: WebhookSubscription }>('POST', '/events/subscriptions', subscription).then(
      (r) => r.subscription,
    );
  unsubscribe = (id: string) =>
    this.call<{ removed: string }>('DELETE', `/events/subscriptions/${encodeURIComponent(id)}`);
  recentEvents = () => this.call<{ events: IvsEvent[] }>('GET', '/events/recent').then((r) => r.events);
  signingKey = () => this.call<{ publicKeyPem: string }>('GET', '/signing-key').then((r) => r.publicKeyPem);
}
