import type { VerificationTarget } from '@conveyor/contracts';

/**
 * Variables a smoke suite inherits from the verifier. Nothing else is passed: the verifier's
 * own environment holds AMQP and database credentials a suite must never see.
 */
export const INHERITED_VARIABLES = [
  'PATH',
  'HOME',
  'LANG',
  'LC_ALL',
  'TZ',
  'TMPDIR',
  'DOTNET_ROOT',
  'SYSTEMROOT',
] as const;

export interface SuiteContext {
  server: VerificationTarget;
  verificationId: string;
  deploymentId: string;
  batchIndex: number;
  service: string;
  environment: string;
  expectedVersion: string;
  suiteName: string;
  workDir: string;
  /** Absolute path where the suite should write its result file, when the manifest names one. */
  resultFile?: string;
  /** The suite runs as its own user (SMOKE_RUN_AS_*): HOME is its working directory, not the verifier's. */
  ownUser?: boolean;
}

/** The suite's environment: a few inherited variables plus where and what to test. */
export function suiteEnvironment(
  inherited: NodeJS.ProcessEnv,
  context: SuiteContext,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of INHERITED_VARIABLES) {
    const value = inherited[name];
    if (value !== undefined) env[name] = value;
  }
  const url = `http://${context.server.address}`;
  Object.assign(env, {
    TARGET_URL: url,
    CONVEYOR_TARGET_URL: url,
    CONVEYOR_TARGET_ADDRESS: context.server.address,
    CONVEYOR_TARGET_VIA: context.server.via,
    CONVEYOR_TARGET_HEADERS: JSON.stringify(context.server.headers ?? {}),
    SERVER_ID: context.server.id,
    CONVEYOR_SERVER_ID: context.server.id,
    CONVEYOR_VERIFICATION_ID: context.verificationId,
    CONVEYOR_DEPLOYMENT_ID: context.deploymentId,
    CONVEYOR_BATCH_INDEX: String(context.batchIndex),
    CONVEYOR_SERVICE: context.service,
    CONVEYOR_ENVIRONMENT: context.environment,
    CONVEYOR_EXPECTED_VERSION: context.expectedVersion,
    CONVEYOR_SUITE_NAME: context.suiteName,
    CONVEYOR_WORK_DIR: context.workDir,
  });
  if (context.resultFile !== undefined) env['CONVEYOR_RESULT_FILE'] = context.resultFile;
  if (context.ownUser === true) env['HOME'] = context.workDir;
  return env;
}
