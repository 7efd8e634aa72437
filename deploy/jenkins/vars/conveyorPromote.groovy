// conveyorPromote: ask Conveyor to promote a version to an environment, and optionally wait.
//
//   conveyorPromote(service: 'shop', version: env.VERSION, environment: 'qa', wait: true)
//
// Conveyor refuses (409, with the reason) unless the version succeeded in the previous environment.
// Environments that need approvals wait for approvers (the step then waits, if asked, up to
// `timeoutMinutes`, for the deployment to finish). Needs CONVEYOR_URL and the credential
// 'conveyor-ci-token' (ci role: environments without approvals) or `credential:` a deployer token.

def call(Map args) {
  String api = env.CONVEYOR_URL ?: error('conveyorPromote: set CONVEYOR_URL')
  String credential = args.credential ?: 'conveyor-ci-token'
  Map promotion = conveyorReport.conveyorRequest(api, 'POST', '/promotions',
      [service: args.service, version: args.version, environment: args.environment], credential)
  echo "Conveyor promotion ${promotion.id}: ${promotion.status} (${promotion.approvals.missing} approval(s) missing)"
  if (!args.wait) return promotion
  timeout(time: (args.timeoutMinutes ?: 60) as Integer, unit: 'MINUTES') {
    waitUntil(initialRecurrencePeriod: 5000) {
      promotion = conveyorGet(api, "/promotions/${promotion.id}", credential)
      if (promotion.status == 'failed') error("Conveyor: deployment ${promotion.deploymentId} of ${args.service} ${args.version} to ${args.environment} failed")
      return promotion.status == 'succeeded'
    }
  }
  return promotion
}

def conveyorGet(String api, String path, String credential) {
  withCredentials([string(credentialsId: credential, variable: 'CONVEYOR_TOKEN')]) {
    String out = sh(returnStdout: true, script: '''
      set +x
      curl -fsS "''' + api + path + '''" -H "Authorization: Bearer $CONVEYOR_TOKEN"
    ''').trim()
    return readJSON(text: out)
  }
}
