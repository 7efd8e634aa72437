import { formatNonceLog, formatNonceRecord, NONCE_LOG_HEADER, parseNonceLog } from './nonce-log';

describe('nonce log format', () => {
  it('reads back what it writes, without the nonces expired at read time', () => {
    const text = formatNonceLog(
      new Map([
        ['aaa', 100],
        ['bbb', 300],
      ]),
    );
    expect(parseNonceLog(text, 200)).toEqual({
      ok: true,
      live: new Map([['bbb', 300]]),
      expired: 1,
      tornTail: false,
    });
  });

  it('keeps the later keepUntil of a nonce written twice', () => {
    const text = `${NONCE_LOG_HEADER}\n${formatNonceRecord('aaa', 300)}${formatNonceRecord('aaa', 100)}`;
    expect(parseNonceLog(text, 200)).toMatchObject({ ok: true, live: new Map([['aaa', 300]]) });
  });

  it('drops a last record torn by a crash (no newline)', () => {
    const text = `${NONCE_LOG_HEADER}\n${formatNonceRecord('aaa', 300)}300 bb`;
    expect(parseNonceLog(text, 0)).toEqual({
      ok: true,
      live: new Map([['aaa', 300]]),
      expired: 0,
      tornTail: true,
    });
  });

  it('reads an empty file as an empty log', () => {
    expect(parseNonceLog('', 0)).toMatchObject({ ok: true, live: new Map() });
  });

  it('reports a corrupt record in the middle, with its line number', () => {
    const text = `${NONCE_LOG_HEADER}\n${formatNonceRecord('aaa', 300)}garbage\n${formatNonceRecord('bbb', 300)}`;
    expect(parseNonceLog(text, 0)).toEqual({
      ok: false,
      detail: 'line 3 is not "<epoch ms> <nonce>": "garbage"',
    });
  });

  it('reports a file that is not a nonce log', () => {
    expect(parseNonceLog('{"hello":1}\n', 0)).toMatchObject({
      ok: false,
      detail: expect.stringContaining('line 1'),
    });
  });

  it('refuses to write a nonce that would break the line format', () => {
    expect(() => formatNonceRecord('a b\nc', 1)).toThrow('base64url');
  });
});
