import { ProviderError, type ChatEvent } from "../core/index.js";
import type { LinkedAbort } from "./linked-abort.js";

/** A stream's events, one by one or in batches of what arrived meanwhile. */
export interface EventBatches extends AsyncIterableIterator<ChatEvent> {
  /** Every event that arrived and was not taken yet (waits for at least one), or null at the end. Throws the stream's failure once the events before it are taken. */
  take(): Promise<ChatEvent[] | null>;
  /** Stops the stream; an upstream still open is aborted at once, even while a read waits on it. */
  close(): void;
}

export type AttemptEnd = (ok: boolean, error?: ProviderError, tokens?: number) => void;

/** Events read ahead of the consumer at most; past them the upstream is not read (its socket applies backpressure). */
const READ_AHEAD = 64;

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

/** Resolves once the promise jobs queued now (and those they queue) have run. */
const nextTick = (): Promise<void> => new Promise<void>((resolve) => process.nextTick(resolve));

/**
 * An opened stream attempt past its first event: reads the provider's events ahead of the consumer
 * (so a slow consumer takes everything that arrived meanwhile in one go, and the first event is never
 * held back), ends the attempt once — at the finish event before it is passed on, at an error, or
 * when the consumer leaves — and aborts the upstream when the consumer leaves before the provider's
 * events ended (also after the finish: a consumer that leaves then must not keep the body open).
 *
 * One object per stream, not a chain of async generators: a read costs one promise, and nothing
 * allocated for one event outlives it.
 */
export class AttemptEventStream implements EventBatches {
  #queue: ChatEvent[];
  #reading = false;
  /** The provider's events ended (done, or failed). */
  #drained = false;
  #failure: { error: unknown } | undefined;
  #closed = false;
  #ended = false;
  #wake: (() => void) | undefined;
  #wakeQueued = false;
  /** A batch was taken: later takes wait for the events already on hand (the first one goes at once). */
  #tookFirst = false;
  readonly #iterator: AsyncIterator<ChatEvent>;
  readonly #link: LinkedAbort;
  readonly #provider: string;
  readonly #onEnd: AttemptEnd;
  readonly #onStep = (step: IteratorResult<ChatEvent>): void => this.#stepped(step);
  readonly #onError = (error: unknown): void => this.#failed(error);
  readonly #wakeNow = (): void => {
    this.#wakeQueued = false;
    this.#notify();
  };

  constructor(first: ChatEvent, iterator: AsyncIterator<ChatEvent>, link: LinkedAbort, provider: string, onEnd: AttemptEnd) {
    this.#queue = [first];
    this.#iterator = iterator;
    this.#link = link;
    this.#provider = provider;
    this.#onEnd = onEnd;
    this.#sawEvent(first);
    this.#read();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /**
   * Not an async method: a take that waits (an open stream between tokens, most of its life) holds
   * the wait's promise and one reaction, not a suspended frame with its own promise and await.
   * A read still in flight while events wait is, most often, the rest of a network chunk being
   * decoded a promise job at a time: a tick from now it has landed, and this take carries it too
   * (not the first take: the first event goes at once).
   */
  take(): Promise<ChatEvent[] | null> {
    if (this.#tookFirst && this.#reading && this.#queue.length > 0) return nextTick().then(this.#takeNow);
    return this.#takeNow();
  }

  readonly #takeNow = (): Promise<ChatEvent[] | null> => {
    if (this.#mustWait()) return this.#waitForEvents().then(this.#takeAfterWait);
    try {
      return Promise.resolve(this.#taken());
    } catch (error) {
      return Promise.reject(error);
    }
  };

  readonly #takeAfterWait = (): ChatEvent[] | null | Promise<ChatEvent[] | null> => (this.#mustWait() ? this.#takeNow() : this.#taken());

  #mustWait(): boolean {
    return this.#queue.length === 0 && !this.#drained && !this.#closed;
  }

  /** Every event on hand, or the stream's failure thrown once they are taken, or null at the end. */
  #taken(): ChatEvent[] | null {
    this.#tookFirst = true;
    if (this.#queue.length > 0) {
      const taken = this.#queue;
      this.#queue = [];
      this.#read();
      return taken;
    }
    if (this.#failure !== undefined && !this.#closed) throw this.#failure.error;
    return null;
  }

  async next(): Promise<IteratorResult<ChatEvent>> {
    while (this.#queue.length === 0 && !this.#drained && !this.#closed) await this.#waitForEvents();
    if (this.#queue.length > 0) {
      const value = this.#queue.shift()!;
      this.#read();
      return { value, done: false };
    }
    if (this.#failure !== undefined && !this.#closed) throw this.#failure.error;
    return DONE;
  }

  async return(): Promise<IteratorResult<ChatEvent>> {
    this.close();
    return DONE;
  }

  async throw(error?: unknown): Promise<IteratorResult<ChatEvent>> {
    this.close();
    throw error;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#queue = [];
    if (!this.#drained) {
      this.#link.abort();
      // A read in flight ends with the abort; the iterator is returned once it has.
      if (!this.#reading) this.#returnUpstream();
    } else this.#link.dispose();
    // Only a stream left before its end is cancelled; the usual close after the finish builds no error.
    if (!this.#ended) this.#end(false, new ProviderError({ kind: "cancelled", provider: this.#provider, message: "the consumer left the stream" }));
    this.#notify();
  }

  #waitForEvents(): Promise<void> {
    return new Promise<void>((resolve) => (this.#wake = resolve));
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  /**
   * Wakes a waiting consumer once the events already on hand have been read: a tick from now, after
   * the promise jobs now queued, which is when the reads of what one network chunk held are done. So a
   * take gets every event of that chunk (and the consumer merges their text) instead of one event per
   * wake-up, each of them then serialised and written on its own; a token that arrives alone waits for
   * nothing but those jobs.
   */
  #notifySoon(): void {
    if (this.#wake === undefined || this.#wakeQueued) return;
    this.#wakeQueued = true;
    process.nextTick(this.#wakeNow);
  }

  #read(): void {
    if (this.#reading || this.#drained || this.#closed || this.#queue.length >= READ_AHEAD) return;
    this.#reading = true;
    this.#iterator.next().then(this.#onStep, this.#onError);
  }

  #stepped(step: IteratorResult<ChatEvent>): void {
    this.#reading = false;
    if (this.#closed) {
      if (step.done) this.#drained = true;
      this.#returnUpstream();
      return;
    }
    if (step.done) {
      this.#drained = true;
      this.#link.dispose();
      if (!this.#ended) {
        const error = new ProviderError({ kind: "invalid_response", provider: this.#provider, message: "the stream ended without a finish" });
        this.#failure = { error };
        this.#end(false, error);
      }
    } else {
      this.#sawEvent(step.value);
      this.#queue.push(step.value);
      this.#read();
      this.#notifySoon();
      return;
    }
    this.#notify();
  }

  #failed(error: unknown): void {
    this.#reading = false;
    if (this.#closed) {
      this.#returnUpstream();
      this.#drained = true;
      return;
    }
    this.#drained = true;
    this.#link.dispose();
    this.#failure = { error };
    this.#end(
      false,
      ProviderError.isInstance(error)
        ? error
        : new ProviderError({ kind: "invalid_response", provider: this.#provider, message: error instanceof Error ? error.message : String(error), cause: error }),
    );
    this.#notify();
  }

  #sawEvent(event: ChatEvent): void {
    if (event.type === "finish") this.#end(true, undefined, event.usage ? event.usage.inputTokens + event.usage.outputTokens : undefined);
  }

  #returnUpstream(): void {
    const link = this.#link;
    const returned = this.#drained ? undefined : this.#iterator.return?.();
    if (returned === undefined) link.dispose();
    else
      returned.then(
        () => link.dispose(),
        () => link.dispose(),
      );
  }

  #end(ok: boolean, error?: ProviderError, tokens?: number): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#onEnd(ok, error, tokens);
  }
}

/** Events already held in full (a cascade's kept answer), replayed one at a time as the stream they were. */
export function heldEvents(events: ChatEvent[]): EventBatches {
  let queue: ChatEvent[] = events;
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    take: async () => (queue.length > 0 ? [queue.shift()!] : null),
    next: async () => (queue.length > 0 ? { value: queue.shift()!, done: false } : DONE),
    return: async () => {
      queue = [];
      return DONE;
    },
    throw: async (error?: unknown) => {
      queue = [];
      throw error;
    },
    close: () => {
      queue = [];
    },
  };
}
