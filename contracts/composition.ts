import type { DestinationConfiguration, LayoutConfiguration } from '@aws-sdk/client-ivs-realtime';
import type { AccountRegion } from './aws-scope';
import type { ShowIdentity } from './tags';

export type ObservedCompositionState = 'STARTING' | 'ACTIVE' | 'STOPPING' | 'FAILED' | 'STOPPED' | 'GONE';

/** Nothing more happens to a composition that stopped, failed or was purged. */
const TERMINAL_STATES: readonly string[] = ['STOPPED', 'FAILED', 'GONE'] satisfies ObservedCompositionState[];
export const isTerminal = (state: string) => TERMINAL_STATES.includes(state);

/** What monitoring sees of a composition; GONE means purged (ResourceNotFound), which counts as stopped. */
export interface CompositionSnapshot {
  arn: string;
  state: ObservedCompositionState;
  /** In ID order, so two snapshots compare destination by destination. */
  destinations: { id: string; state: string }[];
}

/** Whether two snapshots of one composition say the same: the monitor signals a show only on a change. */
export const sameSnapshot = (a: CompositionSnapshot, b: CompositionSnapshot) =>
  a.state === b.state &&
  a.destinations.length === b.destinations.length &&
  a.destinations.every((d, i) => d.id === b.destinations[i]?.id && d.state === b.destinations[i]?.state);

export interface StartCompositionInput extends AccountRegion {
  identity: ShowIdentity;
  stageArn: string;
  /** Same token, same composition: safe to retry at any layer. */
  idempotencyToken: string;
  layout: LayoutConfiguration;
  destinations: DestinationConfiguration[];
  tags: Record<string, string>;
}

export interface StartedComposition {
  arn: string;
  state: ObservedCompositionState;
  destinations: { id: string; kind: 'channel' | 's3'; state: string; recordingPrefix?: string }[];
}

export interface CompositionActivities {
  startComposition(input: StartCompositionInput): Promise<StartedComposition>;
  /**
   * Retry-as-poll for every watched composition of one account and region: returns the snapshots as soon as any
   * differs from what the caller knows, otherwise fails with NotYet.
   */
  pollCompositions(input: AccountRegion & { known: CompositionSnapshot[] }): Promise<CompositionSnapshot[]>;
  /** Already stopped, or purged, is done. */
  stopComposition(input: AccountRegion & { arn: string }): Promise<{ state: ObservedCompositionState }>;
  /** Retry-as-poll until the composition is STOPPED, FAILED or purged. */
  awaitCompositionStopped(input: AccountRegion & { arn: string }): Promise<{ state: ObservedCompositionState }>;
}
