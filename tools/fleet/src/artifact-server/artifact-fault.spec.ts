import { faultFromQuery, throttleStep } from './artifact-fault';

describe('faultFromQuery', () => {
  it('has no fault without query parameters or configuration', () => {
    expect(faultFromQuery(new URLSearchParams(''))).toEqual({ ok: true, fault: {} });
  });

  it('reads breakAfter, bytesPerSecond and delayMs', () => {
    expect(faultFromQuery(new URLSearchParams('breakAfter=100&bytesPerSecond=2048&delayMs=50'))).toEqual({
      ok: true,
      fault: { breakAfter: 100, bytesPerSecond: 2048, delayMs: 50 },
    });
  });

  it('lets a query parameter override the file’s configured fault and keeps the rest', () => {
    expect(faultFromQuery(new URLSearchParams('breakAfter=10'), { breakAfter: 500, delayMs: 20 })).toEqual({
      ok: true,
      fault: { breakAfter: 10, delayMs: 20 },
    });
  });

  it.each([
    ['breakAfter=-1', 'breakAfter must be an integer 0..'],
    ['breakAfter=ten', 'breakAfter must be an integer 0..'],
    ['bytesPerSecond=0', 'bytesPerSecond must be an integer 1..'],
    ['delayMs=999999', 'delayMs must be an integer 0..120000, got "999999"'],
  ])('rejects %s naming the parameter', (query, message) => {
    const result = faultFromQuery(new URLSearchParams(query));
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.error).toContain(message);
  });
});

describe('throttleStep', () => {
  it('sends big chunks without pause when not throttled', () => {
    expect(throttleStep(undefined)).toEqual({ chunkBytes: 65536, pauseMs: 0 });
  });

  it('sends a tenth of the rate every 100 ms, at least one byte', () => {
    expect(throttleStep(1000)).toEqual({ chunkBytes: 100, pauseMs: 100 });
    expect(throttleStep(3)).toEqual({ chunkBytes: 1, pauseMs: 100 });
  });
});
