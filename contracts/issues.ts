import type { $ZodIssue } from 'zod/v4/core';

/** One failing field and the rule it broke: `participants.0.userId`, `Too big: expected string to have <=128 characters`. */
export interface FieldIssue {
  path: string;
  message: string;
}

type Path = $ZodIssue['path'];

/** `participants.0.userId`: the way spec, configuration and argument errors name a field. */
export const dottedPath = (path: Path) => path.map(String).join('.');

/**
 * The issues of a failed zod parse as field issues. `whole` names the value itself, for an issue about it rather
 * than one of its fields (`(spec)`, `(args)`).
 */
export function fieldIssues(
  issues: readonly Pick<$ZodIssue, 'path' | 'message'>[],
  whole: string,
  pathOf: (path: Path) => string = dottedPath,
): FieldIssue[] {
  return issues.map((i) => ({ path: pathOf(i.path) || whole, message: i.message }));
}

/** `path: message; path: message`, for one-line errors. */
export const inlineIssues = (issues: readonly FieldIssue[]) => issues.map((i) => `${i.path}: ${i.message}`).join('; ');

/** `title:` and one `  - path: message` line per issue, for multi-line errors. */
export const issueList = (title: string, issues: readonly FieldIssue[]) =>
  `${title}:\n${issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n')}`;
