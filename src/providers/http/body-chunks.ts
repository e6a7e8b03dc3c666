import type { Readable } from "node:stream";

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

/** What Node's own stream iterator throws when a body closes before its end. */
const prematureClose = (): Error => Object.assign(new Error("Premature close"), { code: "ERR_STREAM_PREMATURE_CLOSE" });

/**
 * A response body's chunks, read with `read()` when the body says it is readable. Returning from
 * the iteration leaves the body as it is (the response's `release()` or `abort()` decide its fate).
 *
 * Not `Readable#iterator()`: Node's iterator is an async generator with end-of-stream bookkeeping
 * (six listeners and their closures) per body, held for as long as a stream is open.
 */
export class BodyChunks implements AsyncIterator<Uint8Array> {
  readonly #raw: Readable;
  /** A read waiting for the body to say something: its promise's settle functions, fields rather than an async frame. */
  #resolve: ((step: IteratorResult<Uint8Array>) => void) | undefined;
  #reject: ((error: unknown) => void) | undefined;
  #failure: { error: unknown } | undefined;
  #ended = false;
  readonly #onReadable = (): void => this.#notify();
  readonly #onEnd = (): void => {
    this.#ended = true;
    this.#notify();
  };
  readonly #onError = (error: unknown): void => {
    this.#failure ??= { error };
    this.#notify();
  };
  readonly #onClose = (): void => {
    if (!this.#ended && !this.#raw.readableEnded) this.#failure ??= { error: this.#raw.errored ?? prematureClose() };
    this.#notify();
  };

  constructor(raw: Readable) {
    this.#raw = raw;
    raw.on("readable", this.#onReadable);
    raw.on("end", this.#onEnd);
    raw.on("error", this.#onError);
    raw.on("close", this.#onClose);
    if (raw.readableEnded) this.#ended = true;
    else if (raw.destroyed) this.#failure = { error: raw.errored ?? prematureClose() };
  }

  /**
   * Not an async method: a read that waits (an open stream between tokens, most of its life) holds
   * one promise and its settle functions, not a suspended frame with its own promise and await.
   */
  next(): Promise<IteratorResult<Uint8Array>> {
    let step: IteratorResult<Uint8Array> | undefined;
    try {
      step = this.#step();
    } catch (error) {
      return Promise.reject(error);
    }
    if (step !== undefined) return Promise.resolve(step);
    return new Promise<IteratorResult<Uint8Array>>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  async return(): Promise<IteratorResult<Uint8Array>> {
    this.#detach();
    return DONE;
  }

  /** The next chunk, the end (listeners detached), the body's failure thrown (likewise), or undefined: wait. */
  #step(): IteratorResult<Uint8Array> | undefined {
    const chunk = this.#raw.destroyed ? null : (this.#raw.read() as Uint8Array | null);
    if (chunk !== null) return { value: chunk, done: false };
    if (this.#failure !== undefined) {
      this.#detach();
      throw this.#failure.error;
    }
    if (this.#ended) {
      this.#detach();
      return DONE;
    }
    return undefined;
  }

  #notify(): void {
    const resolve = this.#resolve;
    const reject = this.#reject;
    if (resolve === undefined || reject === undefined) return;
    this.#resolve = undefined;
    this.#reject = undefined;
    let step: IteratorResult<Uint8Array> | undefined;
    try {
      step = this.#step();
    } catch (error) {
      reject(error);
      return;
    }
    if (step !== undefined) resolve(step);
    else {
      this.#resolve = resolve;
      this.#reject = reject;
    }
  }

  #detach(): void {
    const raw = this.#raw;
    raw.off("readable", this.#onReadable);
    raw.off("end", this.#onEnd);
    raw.off("error", this.#onError);
    raw.off("close", this.#onClose);
  }
}
