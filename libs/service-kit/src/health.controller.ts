import { Controller, Get, Inject } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
  type HealthCheckResult,
} from '@nestjs/terminus';
import type { AmqpConnectionManager } from 'amqp-connection-manager';
import { AMQP_CONNECTION } from './messaging.providers';

/**
 * - `/health/live`: the process answers (its event loop runs). Nothing else: a database or broker
 *   outage must not restart every replica. Kubernetes' livenessProbe.
 * - `/health/ready`: the service's database and RabbitMQ both answer; otherwise 503 and no traffic.
 *   Kubernetes' readinessProbe, the images' HEALTHCHECK.
 * - `/health`: the same as `/health/ready` (what older probes and scripts ask).
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Inject(AMQP_CONNECTION) private readonly connection: AmqpConnectionManager,
  ) {}

  @Get('live')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([() => this.indicators.check('process').up({ pid: process.pid })]);
  }

  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 2000 }),
      () => {
        const rabbit = this.indicators.check('rabbitmq');
        return this.connection.isConnected()
          ? rabbit.up()
          : rabbit.down({ message: 'not connected to RabbitMQ' });
      },
    ]);
  }

  @Get()
  @HealthCheck()
  check(): Promise<HealthCheckResult> {
    return this.ready();
  }
}
