/** What the janitor's activities and workflow exchange. The janitor sweeps the worker's own account. */

export type JanitorResourceKind = 'stage' | 'ingestConfiguration' | 'composition';

/** A resource tagged `showrunner:managed` = 'true', reduced to what the janitor decides on (tags stay behind). */
export interface ShowrunnerResource {
  kind: JanitorResourceKind;
  region: string;
  arn: string;
  /** From `showrunner:workflow-id`; absent means we cannot tell whose it is, so it is never removed. */
  showWorkflowId?: string;
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
}

/**
 * RUNNING covers anything not known to be closed (running, paused, an unfamiliar status): the janitor only
 * acts on a show it knows is over. NOT_FOUND means no execution with that ID exists in the namespace (never
 * started there, or closed longer ago than the namespace's retention).
 */
export type ShowWorkflowState =
  | { status: 'RUNNING'; detail: string }
  | { status: 'CLOSED'; detail: string; closedAt: string }
  | { status: 'NOT_FOUND' };

export interface RemoveResourceInput {
  region: string;
  kind: JanitorResourceKind;
  arn: string;
  /** The workflow ID the janitor judged by; the removal is refused if the resource's tag no longer says so. */
  showWorkflowId: string;
}

/** `removed`: stopped or deleted now; `gone`: already gone; `refused`: its tags changed since the scan. */
export type RemoveResourceResult = { outcome: 'removed' | 'gone' } | { outcome: 'refused'; reason: string };

export interface JanitorActivities {
  /** Lists one region's stages, live compositions and ingest configurations; returns those tagged as Showrunner's. */
  findShowrunnerResources(input: { region: string }): Promise<FoundResources>;
  /** Describes many show workflows in one activity, to keep the janitor's history short. */
  showWorkflowStates(input: { workflowIds: string[] }): Promise<Record<string, ShowWorkflowState>>;
  /** Removes one resource after reading its tags again; already gone is done. */
  removeResource(input: RemoveResourceInput): Promise<RemoveResourceResult>;
}
