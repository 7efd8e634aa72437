import { randomUUID } from 'node:crypto';
import { verificationRequestedEvent } from '@conveyor/contracts';
import { requestProblems } from './request-problems';

function request(overrides: Record<string, unknown> = {}) {
  return verificationRequestedEvent.schema.parse({
    verificationId: randomUUID(),
    deploymentId: randomUUID(),
    service: 'billing',
    environment: 'prod',
    batchIndex: 0,
    expectedVersion: '1.0.0',
    servers: [{ id: 's1', address: '127.0.0.1:8080' }],
    spec: {},
    ...overrides,
  });
}

describe('a request that parses but cannot run', () => {
  it('has no problem when servers and suites are sound', () => {
    expect(
      requestProblems(
        request({ spec: { smoke: [{ name: 'api', command: '/bin/true', resultFile: 'r.xml' }] } }),
      ),
    ).toEqual([]);
  });

  it('names a server listed twice and a port out of range', () => {
    const problems = requestProblems(
      request({
        servers: [
          { id: 's1', address: 'h:80' },
          { id: 's1', address: 'h:81' },
          { id: 's2', address: 'h:70000' },
        ],
      }),
    );
    expect(problems).toEqual([
      'server s1 is listed twice',
      'server s2: port 70000 of h:70000 is not 1-65535',
    ]);
  });

  it('names a suite whose result file would be read outside its working directory', () => {
    const problems = requestProblems(
      request({ spec: { smoke: [{ name: 'api', command: 'x', resultFile: '../../etc/passwd' }] } }),
    );
    expect(problems).toEqual([
      `smoke suite "api": resultFile "../../etc/passwd" must be a file path inside the suite's working directory`,
    ]);
  });
});
