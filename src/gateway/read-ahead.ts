export interface ReadAhead<T> {
  /** Every item read so far that was not taken yet (at least one; waits for it), or null at the end. Throws the source's error once the items before it are taken. */
  take(): Promise<T[] | null>;
  /** Stops reading (the source is returned as soon as no read is pending on it). */
  close(): void;
}

/**
 * Reads an async source ahead of its consumer, up to `max` items, so a slow consumer can take
 * everything that arrived meanwhile in one go. The consumer waits only when nothing is queued,
 * so the first item is not delayed.
 */
export function readAhead<T>(source: AsyncIterable<T>, max = 64): ReadAhead<T> {
  const iterator = source[Symbol.asyncIterator]();
  let queue: T[] = [];
  let ended = false;
  let failure: { error: unknown } | undefined;
  let closed = false;
  let wakeConsumer: (() => void) | undefined;
  let wakePump: (() => void) | undefined;

  const notify = () => {
    const wake = wakeConsumer;
    wakeConsumer = undefined;
    wake?.();
  };

  void (async () => {
    try {
      while (!closed) {
        if (queue.length >= max) {
          await new Promise<void>((resolve) => (wakePump = resolve));
          continue;
        }
        const step = await iterator.next();
        if (step.done) break;
        queue.push(step.value);
        notify();
      }
      if (closed) await iterator.return?.();
    } catch (error) {
      failure = { error };
    } finally {
      ended = true;
      notify();
    }
  })();

  return {
    async take() {
      while (queue.length === 0 && !ended) await new Promise<void>((resolve) => (wakeConsumer = resolve));
      if (queue.length > 0) {
        const taken = queue;
        queue = [];
        const wake = wakePump;
        wakePump = undefined;
        wake?.();
        return taken;
      }
      if (failure) throw failure.error;
      return null;
    },
    close() {
      closed = true;
      const wake = wakePump;
      wakePump = undefined;
      wake?.();
    },
  };
}
