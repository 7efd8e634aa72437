import type { DeployCommandPayload } from '@conveyor/contracts';
import type { DownloadOptions } from '../releases/artifact-download';
import type { ExtractLimits } from '../releases/archive-entry.policy';
import type { StepContext } from './step-context';

/** How a step downloads the command's artifact: its declared size and sha256, the host's deadline and credentials. */
export function downloadOptions(
  context: StepContext,
  artifact: DeployCommandPayload['artifact'],
): DownloadOptions {
  return {
    url: artifact.url,
    expectedSha256: artifact.sha256,
    expectedSize: artifact.size,
    dir: context.layout.downloadsDir,
    idleTimeoutMs: context.host.downloadIdleTimeoutMs,
    deadlineMs: context.host.downloadDeadlineMs,
    credentials: context.host.artifactCredentials,
  };
}

/** The host's caps on what one artifact may unpack to. */
export function extractLimits(context: StepContext): ExtractLimits {
  return { maxBytes: context.host.maxExtractBytes, maxEntries: context.host.maxExtractEntries };
}
