// conveyorReport: report a build to Conveyor's pipeline API.
//
//   def run = conveyorReport(action: 'run', service: 'shop', version: env.VERSION)
//   conveyorReport(action: 'stage', runId: run, name: 'unit tests', status: 'succeeded',
//                  startedAt: t0, finishedAt: t1, tests: [total: 1342, failed: 0, skipped: 4])
//   conveyorReport(action: 'artifact', runId: run, url: artifactUrl, file: 'dist/shop.zip')
//
// Needs: CONVEYOR_URL (e.g. http://pipeline:3000) and a Jenkins credential 'conveyor-ci-token'
// (secret text, a token with the ci role). Every call is idempotent: a retry is the same report.

def call(Map args) {
  String api = env.CONVEYOR_URL ?: error('conveyorReport: set CONVEYOR_URL')
  switch (args.action) {
    case 'run':
      Map run = [service: args.service, version: args.version, commit: args.commit ?: env.GIT_COMMIT,
                 branch: args.branch ?: env.BRANCH_NAME ?: 'main', jobUrl: env.BUILD_URL,
                 buildNumber: env.BUILD_NUMBER as Integer]
      if (args.committedAt) run.committedAt = args.committedAt
      return conveyorRequest(api, 'POST', '/runs', run).id
    case 'stage':
      Map stage = [name: args.name, status: args.status]
      ['environment', 'startedAt', 'finishedAt', 'tests'].each { if (args[it] != null) stage[it] = args[it] }
      return conveyorRequest(api, 'POST', "/runs/${args.runId}/stages", stage)
    case 'artifact':
      String sha = args.sha256 ?: sh(script: "sha256sum '${args.file}' | cut -d' ' -f1", returnStdout: true).trim()
      Map artifact = [url: args.url, sha256: sha]
      if (args.size != null) artifact.size = args.size as Long
      else if (args.file) artifact.size = sh(script: "stat -c %s '${args.file}'", returnStdout: true).trim() as Long
      else error('conveyorReport artifact: give size, or file to compute it (agents refuse a download of another size)')
      return conveyorRequest(api, 'POST', "/runs/${args.runId}/artifacts", artifact)
    default:
      error("conveyorReport: action must be run, stage or artifact, not ${args.action}")
  }
}

/** POSTs JSON with the token, retrying transient failures; fails the build on a 4xx with Conveyor's reason. */
def conveyorRequest(String api, String method, String path, Map body, String credential = 'conveyor-ci-token') {
  writeFile file: '.conveyor-body.json', text: groovy.json.JsonOutput.toJson(body)
  withCredentials([string(credentialsId: credential, variable: 'CONVEYOR_TOKEN')]) {
    String out = ''
    sh 'rm -f .conveyor-refused'
    retry(3) {
      out = sh(returnStdout: true, script: '''
        set +x
        status=$(curl -sS -o .conveyor-answer.json -w '%{http_code}' -X ''' + method + ''' "''' + api + path + '''" \\
          -H "Authorization: Bearer $CONVEYOR_TOKEN" -H 'Content-Type: application/json' --data-binary @.conveyor-body.json)
        case "$status" in
          2*) cat .conveyor-answer.json ;;
          4*) echo "$status $(cat .conveyor-answer.json)" > .conveyor-refused ;;
          *) echo "Conveyor failed ($status), retrying" >&2; exit 1 ;;
        esac
      ''').trim()
    }
    // A 4xx is Conveyor's answer, not a transient failure: no retry, fail with its reason.
    if (fileExists('.conveyor-refused')) error("Conveyor refused ${method} ${path}: ${readFile('.conveyor-refused').trim()}")
    return readJSON(text: out)
  }
}
