/**
 * Tags that mark a resource as made by a show. The run key (the workflow's first run ID) tells one execution
 * of a show from another, so a retried activity finds exactly what *this* execution made.
 */
export const TAG_MANAGED = 'showrunner:managed';
export const TAG_SHOW_ID = 'showrunner:show-id';
export const TAG_WORKFLOW_ID = 'showrunner:workflow-id';
export const TAG_RUN_KEY = 'showrunner:run-key';

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
