import { LightAbort } from "../core/index.js";

/** A cancellation of its own that also aborts when `parent` does; `dispose` detaches it from the parent. */
export interface LinkedAbort {
  signal: AbortSignal;
  abort(reason?: unknown): void;
  dispose(): void;
}

const noop = (): void => {};

/** Its signal is a LightAbort (read only by the router, the HTTP client and timers), not an AbortController's. */
export function linkedAbort(parent?: AbortSignal): LinkedAbort {
  const own = new LightAbort();
  const abort = (reason?: unknown): void => own.abort(reason);
  if (!parent) return { signal: own.asSignal, abort, dispose: noop };
  if (parent.aborted) own.abort(parent.reason);
  const onAbort = (): void => own.abort(parent.reason);
  parent.addEventListener("abort", onAbort, { once: true });
  return { signal: own.asSignal, abort, dispose: () => parent.removeEventListener("abort", onAbort) };
}
