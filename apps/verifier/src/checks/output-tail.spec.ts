import { OutputTail } from './output-tail';
import { concurrencyLimiter } from './concurrency-limiter';

describe('the output tail', () => {
  it('keeps everything while it is short', () => {
    const tail = new OutputTail(100);
    tail.write(Buffer.from('line 1\n'));
    tail.write(Buffer.from('line 2\n'));
    expect(tail.text()).toBe('line 1\nline 2');
  });

  it('keeps only the last bytes of a long output and marks the cut', () => {
    const tail = new OutputTail(12);
    for (let i = 0; i < 100; i++) tail.write(Buffer.from(`${i}\n`));
    expect(tail.text()).toBe('…96\n97\n98\n99');
  });
});

describe('the concurrency limiter', () => {
  it('never runs more tasks at once than its limit, and runs them all', async () => {
    const limit = concurrencyLimiter(2);
    let running = 0;
    let most = 0;
    const task = async (n: number) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setImmediate(resolve));
      running -= 1;
      return n;
    };
    expect(await Promise.all([1, 2, 3, 4, 5].map((n) => limit(() => task(n))))).toEqual([1, 2, 3, 4, 5]);
    expect(most).toBe(2);
  });

  it('goes on after a task throws', async () => {
    const limit = concurrencyLimiter(1);
    await expect(limit(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limit(() => Promise.resolve('next'))).resolves.toBe('next');
  });
});
