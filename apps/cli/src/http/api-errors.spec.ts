import { ExitCode } from '../exit-codes';
import { errorFromNetworkFailure, errorFromResponse } from './api-errors';

describe('turning an API refusal into a reason and an exit code', () => {
  it('lists every problem of a pipeline 400 and exits 1', () => {
    const error = errorFromResponse('pipeline', 'PUT /services/shop', 400, {
      statusCode: 400,
      error: 'invalid request body',
      problems: [
        'environments.prod.strategy.batchSize: must be a count or a percentage',
        'environments.prod.pool: is required',
      ],
    });
    expect(error.message).toBe('the pipeline refused PUT /services/shop: invalid request body');
    expect(error.details).toEqual([
      'environments.prod.strategy.batchSize: must be a count or a percentage',
      'environments.prod.pool: is required',
    ]);
    expect(error.exitCode).toBe(ExitCode.failure);
  });

  it("reads the audit service's query problems, which have the same shape", () => {
    const error = errorFromResponse('audit service', 'GET /audit/export', 400, {
      statusCode: 400,
      error: 'invalid query',
      problems: ['query.format: must be one of ndjson, csv, got "xml"'],
    });
    expect(error.message).toBe('the audit service refused GET /audit/export: invalid query');
    expect(error.details).toEqual(['query.format: must be one of ndjson, csv, got "xml"']);
  });

  it("lists the messages of NestJS's own 400s (a list in `message`)", () => {
    const error = errorFromResponse('pool manager', 'GET /pools/x', 400, {
      statusCode: 400,
      error: 'Bad Request',
      message: ['id must be a UUID'],
    });
    expect(error.details).toEqual(['id must be a UUID']);
  });

  it('exits 4 on 401 and on a role 403, with the reason', () => {
    const unauthorised = errorFromResponse('pipeline', 'GET /deployments', 401, {
      statusCode: 401,
      error: 'Unauthorized',
      message: 'unknown or revoked API token',
    });
    expect([unauthorised.exitCode, unauthorised.message]).toEqual([
      ExitCode.auth,
      'not authenticated by the pipeline: unknown or revoked API token',
    ]);
    const forbidden = errorFromResponse('pipeline', 'PUT /services/shop', 403, {
      message: 'role ci may not PUT /services/shop; allowed roles: deployer, admin',
    });
    expect([forbidden.exitCode, forbidden.message]).toEqual([
      ExitCode.auth,
      'not allowed by the pipeline: role ci may not PUT /services/shop; allowed roles: deployer, admin',
    ]);
  });

  it('exits 1 on a separation-of-duties refusal: the token is fine, the approval is not allowed', () => {
    const error = errorFromResponse('pipeline', 'POST /promotions/x/approvals', 403, {
      message: 'separation of duties: carol requested this promotion and cannot approve it',
    });
    expect([error.exitCode, error.message]).toEqual([
      ExitCode.failure,
      'refused: separation of duties: carol requested this promotion and cannot approve it',
    ]);
  });

  it('exits 3 on 404 and 1 on 409/422/5xx', () => {
    expect(
      errorFromResponse('pipeline', 'GET /deployments/x', 404, { message: 'no deployment x' }),
    ).toMatchObject({ exitCode: ExitCode.notFound, message: 'not found: no deployment x' });
    expect(
      errorFromResponse('pipeline', 'POST /promotions', 409, {
        message: 'shop 1.4.2 has not succeeded in qa',
      }),
    ).toMatchObject({ exitCode: ExitCode.failure, message: 'refused: shop 1.4.2 has not succeeded in qa' });
    expect(
      errorFromResponse('pipeline', 'POST /runs/x/artifacts', 422, {
        message: "the artifact's version is not the run's",
      }).exitCode,
    ).toBe(ExitCode.failure);
    expect(errorFromResponse('pool manager', 'GET /pools', 502, '<html>Bad Gateway</html>')).toMatchObject({
      exitCode: ExitCode.failure,
      message: 'the pool manager failed on GET /pools (HTTP 502): <html>Bad Gateway</html>',
    });
  });

  it('exits 5 when the service cannot be reached or does not answer in time', () => {
    const refused = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3000'), { code: 'ECONNREFUSED' }),
    });
    expect(errorFromNetworkFailure('pipeline', 'http://127.0.0.1:3000', refused, 30_000)).toMatchObject({
      exitCode: ExitCode.unreachable,
      message: 'cannot reach the pipeline at http://127.0.0.1:3000: connect ECONNREFUSED 127.0.0.1:3000',
    });
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(errorFromNetworkFailure('audit service', 'http://audit:3004', timeout, 30_000)).toMatchObject({
      exitCode: ExitCode.unreachable,
      message: 'no answer from the audit service at http://audit:3004 within 30 s',
    });
  });
});
