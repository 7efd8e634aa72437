/** Errors of the artifacts module; each message says what is wrong and where. */

export class AppSpecError extends Error {
  override readonly name = 'AppSpecError';
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid app spec ${source}: ${problems.join('; ')}`);
  }
}

export class ArtifactBuildError extends Error {
  override readonly name = 'ArtifactBuildError';
}

export class ArchiveError extends Error {
  override readonly name = 'ArchiveError';
  constructor(
    readonly archivePath: string,
    problem: string,
  ) {
    super(`archive ${archivePath}: ${problem}`);
  }
}
