import type { AccountRegion } from './aws-scope';

/** What the janitor's activities and workflow exchange. */

export type JanitorResourceKind = 'stage' | 'ingestConfiguration' | 'composition' | 'publicKey';

/**
 * A resource tagged `showrunner:managed` = 'true', reduced to what the janitor decides on (tags stay behind).
 * `account` is the one it was listed in, when not the worker's own (one of SHOWRUNNER_AWS_ACCOUNTS).
 */
export interface ShowrunnerResource extends AccountRegion {
  kind: JanitorResourceKind;
  arn: string;
  /** From `showrunner:workflow-id`; absent means we cannot tell whose it is, so it is never removed. */
  showWorkflowId?: string;
  /**
   * From `showrunner:run-key`: the show workflow's first execution run ID. Absent, or not shaped like a run ID,
   * means no show of ours made it, so it is never removed.
   */
  runKey?: string;
  showId?: string;
  /** `showrunner:keep` = 'true'. */
  kept: boolean;
  /** ISO time the resource came to be, when the API says (compositions: startTime). */
  createdAt?: string;
  /** Compositions: STARTING or ACTIVE. */
  state?: string;
}

export interface FoundResources {
  region: string;
  /** Everything listed, ours or not; compositions count only live ones (STARTING, ACTIVE). */
  scanned: { stages: number; compositions: number; ingestConfigurations: number };
  /** Only the resources tagged as Showrunner's. */
  resources: ShowrunnerResource[];
  /** Accounts whose scan failed in this region (their role could not be assumed, IVS refused...); the rest stand. */
  failed?: { account?: string; error: string }[];
}

/** The show execution a resource names: its workflow ID and its run key (first execution run ID). */
export interface ShowRunRef {
  workflowId: string;
  runKey: string;
}

/** One key per (workflow ID, run key), for the record of describe() answers. */
export const showRunKey = (ref: ShowRunRef) => `${ref.workflowId}\n${ref.runKey}`;

/**
 * The state of the execution chain a resource's tags name. RUNNING covers anything not known to be closed
 * (running, paused, an unfamiliar status): the janitor only acts on a show it knows is over. NOT_FOUND means no
 * execution chain with that workflow ID and run key exists in the namespace: never started there (forged or
 * foreign tags), or closed longer ago than the namespace's retention.
 */
export type ShowWorkflowState =
  | { status: 'RUNNING'; detail: string }
  | { status: 'CLOSED'; detail: string; closedAt: string }
  | { status: 'NOT_FOUND'; detail: string };

export interface RemoveResourceInput extends AccountRegion {
  kind: JanitorResourceKind;
  arn: string;
  /** The workflow ID the janitor judged by; the removal is refused if the resource's tag no longer says so. */
  showWorkflowId: string;
  /** The run key the janitor judged by; likewise. */
  runKey: string;
}

/** `removed`: stopped or deleted now; `gone`: already gone; `refused`: its tags changed since the scan. */
export type RemoveResourceResult = { outcome: 'removed' | 'gone' } | { outcome: 'refused'; reason: string };

export interface JanitorActivities {
  /** Lists one region's stages, live compositions and ingest configurations; returns those tagged as Showrunner's. */
  findShowrunnerResources(input: { region: string }): Promise<FoundResources>;
  /** Describes many show workflows in one activity, to keep the janitor's history short. */
  showWorkflowStates(input: { shows: ShowRunRef[] }): Promise<Record<string, ShowWorkflowState>>;
  /** Removes one resource after reading its tags again; already gone is done. */
  removeResource(input: RemoveResourceInput): Promise<RemoveResourceResult>;
}
