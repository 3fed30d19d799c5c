/**
 * The tags that mark a resource as Showrunner's, and what they say. Shows write them (activities), the janitor
 * reads them, and show specs may not use the prefix. The run key (the workflow's first run ID) tells one execution
 * of a show from another, so a retried activity finds exactly what *this* execution made.
 */
export const TAG_PREFIX = 'showrunner:';
export const TAG_MANAGED = `${TAG_PREFIX}managed`;
export const TAG_SHOW_ID = `${TAG_PREFIX}show-id`;
export const TAG_WORKFLOW_ID = `${TAG_PREFIX}workflow-id`;
export const TAG_RUN_KEY = `${TAG_PREFIX}run-key`;
/**
 * `showrunner:keep` = 'true': kept deliberately; the janitor never touches it, whatever became of its show.
 */
export const TAG_KEEP = `${TAG_PREFIX}keep`;

/** Tag key prefixes a show spec may not use: AWS's own, and Showrunner's. */
export const RESERVED_TAG_PREFIXES = ['aws:', TAG_PREFIX] as const;

export interface ShowIdentity {
  showId: string;
  workflowId: string;
  /** The workflow's first execution run ID: stable across continue-as-new, unique per execution. */
  runKey: string;
}

export function showTags(identity: ShowIdentity, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...extra,
    [TAG_MANAGED]: 'true',
    [TAG_SHOW_ID]: identity.showId,
    [TAG_WORKFLOW_ID]: identity.workflowId,
    [TAG_RUN_KEY]: identity.runKey,
  };
}

/** The tag of shared configurations: Showrunner's, but no one show's (they outlive the show that made them). */
export const sharedTags = (): Record<string, string> => ({ [TAG_MANAGED]: 'true' });

export const isMadeBy = (tags: Record<string, string> | undefined, identity: ShowIdentity) =>
  tags?.[TAG_RUN_KEY] === identity.runKey && tags[TAG_WORKFLOW_ID] === identity.workflowId;

export const isManaged = (tags: Record<string, string> | undefined): tags is Record<string, string> =>
  tags?.[TAG_MANAGED] === 'true';

export const isKept = (tags: Record<string, string> | undefined) => tags?.[TAG_KEEP] === 'true';

/**
 * The tags a show asks for on a resource it may keep. The keep mark is written when the resource is created, not
 * at tidy-up: the policy is fixed by the spec from the start, and a show terminated before its tidy-up (the very
 * case the janitor exists for) must still leave a kept resource marked — a mark written at tidy-up would never
 * be written then. Creation-time tags also need no extra TagResource call, nor a window in which the resource
 * exists unmarked.
 */
export function tagsKeeping(tags: Record<string, string>, keep: boolean): Record<string, string> {
  return keep ? { ...tags, [TAG_KEEP]: 'true' } : tags;
}
