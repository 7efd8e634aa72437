import { healthCheckSchema } from '@conveyor/contracts';
import { describeHealthExpectation, evaluateHealthAnswer, readJsonField } from './health-answer.evaluator';

const spec = (overrides: Record<string, unknown> = {}) =>
  healthCheckSchema.parse({ timeoutSeconds: 30, ...overrides });

describe('evaluating one HTTP answer against the health spec', () => {
  it('passes the expected status when nothing else is asked', () => {
    expect(evaluateHealthAnswer(spec(), '1.2.0', { status: 200, body: 'ok' })).toEqual({
      ok: true,
      detail: 'answered 200',
    });
  });

  it('fails another status, quoting what came back', () => {
    const judgement = evaluateHealthAnswer(spec(), '1.2.0', { status: 500, body: '{"status":"broken"}' });
    expect(judgement).toEqual({ ok: false, detail: 'answered 500, expected 200: "{"status":"broken"}"' });
  });

  it('accepts a non-200 status the manifest expects', () => {
    expect(evaluateHealthAnswer(spec({ expectStatus: 204 }), '1', { status: 204, body: '' }).ok).toBe(true);
    expect(evaluateHealthAnswer(spec({ expectStatus: 204 }), '1', { status: 200, body: '' }).ok).toBe(false);
  });

  it('requires the body text when bodyContains is set', () => {
    const s = spec({ bodyContains: 'READY' });
    expect(evaluateHealthAnswer(s, '1', { status: 200, body: 'state=READY' }).ok).toBe(true);
    expect(evaluateHealthAnswer(s, '1', { status: 200, body: 'state=STARTING' })).toEqual({
      ok: false,
      detail: 'answered 200 but the body lacks "READY": "state=STARTING"',
    });
  });

  it('passes the version just deployed and fails another, naming both', () => {
    const s = spec({ versionField: 'version' });
    expect(
      evaluateHealthAnswer(s, '1.2.0', { status: 200, body: '{"status":"ok","version":"1.2.0"}' }),
    ).toEqual({
      ok: true,
      detail: 'answered 200 with version 1.2.0',
    });
    expect(evaluateHealthAnswer(s, '1.2.0', { status: 200, body: '{"version":"1.1.9"}' })).toEqual({
      ok: false,
      detail: 'answered 200 with version 1.1.9, expected 1.2.0',
    });
  });

  it('fails a version check on a body that is not JSON or lacks the field', () => {
    const s = spec({ versionField: 'build.version' });
    expect(evaluateHealthAnswer(s, '2', { status: 200, body: 'ok' }).detail).toContain(
      'the body is not JSON',
    );
    expect(evaluateHealthAnswer(s, '2', { status: 200, body: '{"build":{}}' }).detail).toContain(
      'has no field build.version',
    );
    expect(evaluateHealthAnswer(s, '2', { status: 200, body: '{"build":{"version":2}}' }).ok).toBe(true);
  });

  it('checks the status before the body', () => {
    const s = spec({ versionField: 'version' });
    expect(evaluateHealthAnswer(s, '1.2.0', { status: 503, body: '{"version":"1.2.0"}' }).detail).toMatch(
      /^answered 503, expected 200/,
    );
  });

  it('does not read inherited properties as fields', () => {
    expect(readJsonField('{}', 'constructor')).toEqual({
      found: false,
      why: 'the JSON body has no field constructor',
    });
  });

  it('describes what it expects', () => {
    expect(
      describeHealthExpectation(
        spec({ path: '/ready', bodyContains: 'ok', versionField: 'version' }),
        '1.2.0',
      ),
    ).toBe('GET /ready → 200, body contains "ok", JSON version = 1.2.0 within 30 s');
  });
});
