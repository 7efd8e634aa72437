// Docker HEALTHCHECK: healthy when the service's /health/ready answers 200 (its database and RabbitMQ up).
// Compose uses it to order start-up (depends_on: service_healthy); it restarts nothing.
// The agent has no HTTP endpoint (it accepts no inbound connection): its liveness is its heartbeat,
// watched by the orchestrator and the ConveyorAgentHeartbeatsMissing alert, so there is nothing to ask.
'use strict';
if (process.env.SERVICE === 'agent') process.exit(0);
const port = process.env.PORT ?? '3000';
fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(2500) })
  .then((response) => process.exit(response.ok ? 0 : 1))
  .catch(() => process.exit(1));
