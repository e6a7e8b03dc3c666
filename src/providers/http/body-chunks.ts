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
  #wake: (() => void) | undefined;
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

  async next(): Promise<IteratorResult<Uint8Array>> {
    for (;;) {
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
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }

  async return(): Promise<IteratorResult<Uint8Array>> {
    this.#detach();
    return DONE;
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #detach(): void {
    const raw = this.#raw;
    raw.off("readable", this.#onReadable);
    raw.off("end", this.#onEnd);
    raw.off("error", this.#onError);
    raw.off("close", this.#onClose);
  }
}
