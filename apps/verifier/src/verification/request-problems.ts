import type { VerificationRequested } from '@conveyor/contracts';
import { resolveResultFile } from '../checks/result-file-path';

/**
 * What makes a request that passed its schema impossible to run. Each problem is a sentence;
 * a request with any of them is answered with `verification.failed` at once.
 */
export function requestProblems(request: VerificationRequested): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const server of request.servers) {
    if (seen.has(server.id)) problems.push(`server ${server.id} is listed twice`);
    seen.add(server.id);
    const port = Number(server.address.slice(server.address.lastIndexOf(':') + 1));
    if (port < 1 || port > 65_535)
      problems.push(`server ${server.id}: port ${port} of ${server.address} is not 1-65535`);
  }
  const suiteNames = new Set<string>();
  for (const suite of request.spec.smoke) {
    if (suiteNames.has(suite.name)) problems.push(`smoke suite "${suite.name}" is listed twice`);
    suiteNames.add(suite.name);
    if (suite.resultFile !== undefined) {
      const where = resolveResultFile('/suite-work-dir', suite.resultFile);
      if (!where.ok) problems.push(`smoke suite "${suite.name}": ${where.problem}`);
    }
  }
  return problems;
}
