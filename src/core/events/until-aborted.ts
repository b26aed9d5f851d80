import { Repeater } from 'graphql-yoga';

/**
 * Passes a source's items on until `signal` aborts, then completes (the source is closed). Live
 * streams use it so a shutting-down server ends them cleanly instead of cutting the connection.
 */
export function untilAborted<T>(source: AsyncIterable<T>, signal: AbortSignal): AsyncIterable<T> {
  return new Repeater<T>(async (push, stop) => {
    const iterator = source[Symbol.asyncIterator]();
    const onAbort = () => stop();
    if (signal.aborted) stop();
    signal.addEventListener('abort', onAbort, { once: true });
    const stopped = stop.then(() => ({ done: true as const, value: undefined }));
    try {
      for (;;) {
        const next = await Promise.race([iterator.next(), stopped]);
        if (next.done) break;
        await push(next.value);
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      await iterator.return?.();
      stop();
    }
  });
}
