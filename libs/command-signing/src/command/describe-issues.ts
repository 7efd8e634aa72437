import type { z } from 'zod';

/** One line naming every invalid field and why, e.g. `target.nodeIds: nodeIds, when given, must name at least one node`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map(
      (issue) =>
        `${issue.path.length > 0 ? issue.path.map(String).join('.') : '(command)'}: ${issue.message}`,
    )
    .join('; ');
}
