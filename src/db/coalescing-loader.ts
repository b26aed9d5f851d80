import DataLoader from 'dataloader';

export interface CoalescingOptions {
  /** Batches running at once; keys asked for while all run wait for the next one. */
  maxInFlight?: number;
  maxBatchSize?: number;
}

/**
 * A dataloader (no cache: every call reads current rows) that batches by load instead of by tick:
 * a key asked for while a batch slot is free goes out with whatever else was asked in the same
 * tick; while all `maxInFlight` slots are busy, keys gather into the next batch. Concurrent
 * requests (each in its own ticks) then share statements under load, and a lone request waits for
 * nothing. For hot lookups of the public pages, where each request asks for one key.
 */
export function coalescingLoader<K, V>(load: (keys: readonly K[]) => Promise<ReadonlyArray<V | Error>>, options: CoalescingOptions = {}): DataLoader<K, V> {
  const maxInFlight = options.maxInFlight ?? 2;
  /** Slots taken by batches dispatched or about to be. */
  let busy = 0;
  const waiting: Array<() => void> = [];
  // A finished batch hands its slot to the oldest waiting one.
  const done = () => {
    const next = waiting.shift();
    if (next) queueMicrotask(next);
    else busy -= 1;
  };
  return new DataLoader<K, V>(
    async (keys) => {
      try {
        return await load(keys);
      } finally {
        done();
      }
    },
    {
      cache: false,
      maxBatchSize: options.maxBatchSize ?? 100,
      // Dataloader adds the key after scheduling: dispatch no earlier than the next microtask.
      batchScheduleFn: (dispatch) => {
        if (busy < maxInFlight) {
          busy += 1;
          queueMicrotask(dispatch);
        } else waiting.push(dispatch);
      },
    },
  );
}
