/**
 * Who smoke suites run as: the verifier's own user (default), or their own uid and gid
 * (SMOKE_RUN_AS_UID / SMOKE_RUN_AS_GID, or SMOKE_RUN_AS_USER looked up in /etc/passwd), so a
 * suite cannot read the verifier's environment (/proc/<verifier>/environ), its files or signal it.
 * Pure: the passwd text is given.
 */
export interface SuiteIdentity {
  uid: number;
  gid: number;
}

export interface SuiteIdentitySettings {
  SMOKE_RUN_AS_UID?: number;
  SMOKE_RUN_AS_GID?: number;
  SMOKE_RUN_AS_USER?: string;
}

export class SuiteIdentityError extends Error {
  override readonly name = 'SuiteIdentityError';
}

export function suiteIdentity(
  settings: SuiteIdentitySettings,
  passwd: () => string,
  verifierUid: number | undefined,
): SuiteIdentity | undefined {
  const { SMOKE_RUN_AS_UID: uid, SMOKE_RUN_AS_GID: gid, SMOKE_RUN_AS_USER: user } = settings;
  if (user !== undefined && uid !== undefined)
    throw new SuiteIdentityError('give SMOKE_RUN_AS_USER or SMOKE_RUN_AS_UID, not both');
  let identity: SuiteIdentity | undefined;
  if (user !== undefined) {
    const line = passwd()
      .split('\n')
      .map((entry) => entry.split(':'))
      .find((fields) => fields[0] === user);
    if (line === undefined || line.length < 4)
      throw new SuiteIdentityError(`SMOKE_RUN_AS_USER: no user ${JSON.stringify(user)} in /etc/passwd`);
    identity = { uid: Number(line[2]), gid: gid ?? Number(line[3]) };
  } else if (uid !== undefined) {
    identity = { uid, gid: gid ?? uid };
  } else if (gid !== undefined) {
    throw new SuiteIdentityError('SMOKE_RUN_AS_GID needs SMOKE_RUN_AS_UID or SMOKE_RUN_AS_USER');
  }
  if (identity === undefined) return undefined;
  if (identity.uid === 0 || identity.gid === 0)
    throw new SuiteIdentityError('smoke suites must not run as root (uid or gid 0)');
  if (verifierUid !== undefined && verifierUid !== 0 && verifierUid !== identity.uid)
    throw new SuiteIdentityError(
      `running smoke suites as uid ${identity.uid} needs the verifier to run as root (it runs as uid ${verifierUid})`,
    );
  return identity;
}
