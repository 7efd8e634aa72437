import { runInNewContext } from 'node:vm';
import { describeError, errorMessage } from './error-message';

describe('error messages', () => {
  it('reads the message of an error, including one from another realm', () => {
    expect(errorMessage(new TypeError('bad input'))).toBe('bad input');
    const foreign: unknown = runInNewContext('new Error("from a sandbox")');
    expect(foreign instanceof Error).toBe(false);
    expect(errorMessage(foreign)).toBe('from a sandbox');
  });

  it('turns anything else thrown into text', () => {
    expect(errorMessage('plain string')).toBe('plain string');
    expect(errorMessage(42)).toBe('42');
    expect(errorMessage(undefined)).toBe('undefined');
    expect(errorMessage({ code: 'E' })).toBe('[object Object]');
  });

  it('adds the cause a fetch failure hides', () => {
    const failure = new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') });
    expect(describeError(failure)).toBe('fetch failed: connect ECONNREFUSED 127.0.0.1:9');
    expect(describeError(new Error('no cause'))).toBe('no cause');
  });
});
