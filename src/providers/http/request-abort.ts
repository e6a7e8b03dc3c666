/**
 * The HTTP client's own cancellation of one request, handed to undici as the request's `signal`. undici
 * reads only `aborted`, `reason` and abort listeners (`addEventListener`/`removeEventListener`); an
 * AbortController builds a DOM EventTarget and an AbortSignal for that (about 2.5 µs apiece, measured),
 * one per provider call. Never given to code outside the client.
 */
export class RequestAbort {
  aborted = false;
  reason: unknown = undefined;
  #listeners: Array<() => void> = [];

  addEventListener(_type: "abort", listener: () => void): void {
    if (!this.aborted) this.#listeners.push(listener);
  }

  removeEventListener(_type: "abort", listener: () => void): void {
    const at = this.#listeners.indexOf(listener);
    if (at >= 0) this.#listeners.splice(at, 1);
  }

  /** Aborts once with `reason`; every listener is called once (and forgotten). */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = this.#listeners;
    this.#listeners = [];
    for (const listener of listeners) listener();
  }
}
