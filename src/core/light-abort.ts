/**
 * A cancellation of the gateway's own, both the controller and the signal: `aborted`, `reason` and abort
 * listeners (`addEventListener`/`removeEventListener`), all that its readers use — undici (the HTTP
 * client's request), `timers/promises` (a backoff sleep), the router and the HTTP client (a caller's
 * signal). An AbortController builds a DOM EventTarget and an AbortSignal for that (about 2.5 µs apiece,
 * measured), and a streamed call made two of them (the call's and its attempt's). Only handed to code of
 * ours and to those libraries, never to other code that may expect a real AbortSignal (`asSignal` says so).
 */
export class LightAbort {
  aborted = false;
  reason: unknown = undefined;
  /**
   * The first listener in a field of its own, the others in an array made when a second comes: nearly
   * every one has a single listener, and an array pushed to once holds room for 17 (~0.15 kB, for as
   * long as a stream is open; a streamed call has three of these).
   */
  #listener: (() => void) | undefined = undefined;
  #more: Array<() => void> | undefined = undefined;

  addEventListener(_type: "abort", listener: () => void): void {
    if (this.aborted) return;
    if (this.#listener === undefined && this.#more === undefined) this.#listener = listener;
    else (this.#more ??= []).push(listener);
  }

  removeEventListener(_type: "abort", listener: () => void): void {
    if (this.#listener === listener) {
      this.#listener = undefined;
      return;
    }
    const more = this.#more;
    if (more === undefined) return;
    const at = more.indexOf(listener);
    if (at >= 0) more.splice(at, 1);
  }

  /** Aborts once with `reason` (an AbortError when none is given, as AbortController does); every listener is called once (and forgotten), in the order they were added. */
  abort(reason?: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason === undefined ? new DOMException("This operation was aborted", "AbortError") : reason;
    const first = this.#listener;
    const more = this.#more;
    this.#listener = undefined;
    this.#more = undefined;
    first?.();
    if (more !== undefined) for (const listener of more) listener();
  }

  /** Typed as the AbortSignal the routing and provider interfaces take (it has every member they read). */
  get asSignal(): AbortSignal {
    return this as unknown as AbortSignal;
  }
}
