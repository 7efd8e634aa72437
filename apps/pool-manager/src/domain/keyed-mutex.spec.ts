import { KeyedMutex } from './keyed-mutex';

describe('KeyedMutex', () => {
  it('runs tasks of one key one after another in arrival order, even when one fails', async () => {
    const mutex = new KeyedMutex();
    const order: string[] = [];
    let release: () => void = () => undefined;
    const first = mutex.run(
      'web',
      () =>
        new Promise<void>(
          (resolve) =>
            (release = () => {
              order.push('first');
              resolve();
            }),
        ),
    );
    const failing = mutex.run('web', async () => {
      order.push('second');
      throw new Error('boom');
    });
    const third = mutex.run('web', async () => {
      order.push('third');
    });
    const other = mutex.run('api', async () => {
      order.push('other key');
    });
    await other;
    expect(order).toEqual(['other key']);
    release();
    await first;
    await expect(failing).rejects.toThrow('boom');
    await third;
    expect(order).toEqual(['other key', 'first', 'second', 'third']);
  });
});
