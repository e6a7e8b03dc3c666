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
  #listeners: Array<() => void> = [];

  addEventListener(_type: "abort", listener: () => void): void {
    if (!this.aborted) this.#listeners.push(listener);
  }

  removeEventListener(_type: "abort", listener: () => void): void {
    const at = this.#listeners.indexOf(listener);
    if (at >= 0) this.#listeners.splice(at, 1);
  }

  /** Aborts once with `reason` (an AbortError when none is given, as AbortController does); every listener is called once (and forgotten). */
  abort(reason?: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason === undefined ? new DOMException("This operation was aborted", "AbortError") : reason;
    const listeners = this.#listeners;
    this.#listeners = [];
    for (const listener of listeners) listener();
  }

  /** Typed as the AbortSignal the routing and provider interfaces take (it has every member they read). */
  get asSignal(): AbortSignal {
    return this as unknown as AbortSignal;
  }
}
