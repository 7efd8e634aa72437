import type { EventEnvelope } from '@conveyor/contracts';
import type { BatchItem, HandlingOutcome } from './event-consumer';
import { MicroBatcher } from './micro-batcher';

const item = (id: string): BatchItem => ({
  envelope: { id } as EventEnvelope,
  delivery: { attempt: 1, redelivered: false },
});

describe('MicroBatcher', () => {
  it('hands the events of one turn of the event loop to the batch handler together, up to the maximum', async () => {
    const batches: string[][] = [];
    const batcher = new MicroBatcher(
      async (items) => {
        batches.push(items.map((i) => i.envelope.id));
        return items.map((): HandlingOutcome => 'handled');
      },
      async () => 'handled',
      3,
    );
    const outcomes = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((id) => batcher.submit(item(id))));
    expect(outcomes).toEqual(['handled', 'handled', 'handled', 'handled', 'handled']);
    expect(batches).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e'],
    ]);
  });

  it('when a batch fails, handles each event alone so only the failing one fails', async () => {
    const single: string[] = [];
    const batcher = new MicroBatcher(
      async () => {
        throw new Error('one of them is bad');
      },
      async (envelope) => {
        single.push(envelope.id);
        if (envelope.id === 'bad') throw new Error('bad event');
        return envelope.id === 'seen' ? 'duplicate' : 'handled';
      },
      10,
    );
    const results = await Promise.allSettled(['ok', 'bad', 'seen'].map((id) => batcher.submit(item(id))));
    expect(single).toEqual(['ok', 'bad', 'seen']);
    expect(results).toEqual([
      { status: 'fulfilled', value: 'handled' },
      { status: 'rejected', reason: new Error('bad event') },
      { status: 'fulfilled', value: 'duplicate' },
    ]);
  });
});
