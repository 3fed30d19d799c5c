/**
 * Tags that mark a resource as made by a show. The run key (the workflow's first run ID) tells one execution
 * of a show from another, so a retried activity finds exactly what *this* execution made.
 */
export const TAG_MANAGED = 'showrunner:managed';
export const TAG_SHOW_ID = 'showrunner:show-id';
export const TAG_WORKFLOW_ID = 'showrunner:workflow-id';
export const TAG_RUN_KEY = 'showrunner:run-key';
/**
 * `showrunner:keep` = 'true' marks a resource kept deliberately (`policies.keep.stage` / `keep.ingestConfiguration`):
 * the janitor never touches it, whatever became of its show.
 */
export const TAG_KEEP = 'showrunner:keep';

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

export const isMadeBy = (tags: Record<string, string> | undefined, identity: ShowIdentity) =>
  tags?.[TAG_RUN_KEY] === identity.runKey && tags[TAG_WORKFLOW_ID] === identity.workflowId;
