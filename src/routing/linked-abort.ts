/** An AbortController that also aborts when `parent` does; `dispose` detaches it from the parent. */
export interface LinkedAbort {
  signal: AbortSignal;
  abort(reason?: unknown): void;
  dispose(): void;
}

export function linkedAbort(parent?: AbortSignal): LinkedAbort {
  const controller = new AbortController();
  if (!parent) return { signal: controller.signal, abort: (r) => controller.abort(r), dispose: () => {} };
  if (parent.aborted) controller.abort(parent.reason);
  const onAbort = () => controller.abort(parent.reason);
  parent.addEventListener("abort", onAbort, { once: true });
  return {
    signal: controller.signal,
    abort: (reason) => controller.abort(reason),
    dispose: () => parent.removeEventListener("abort", onAbort),
  };
}
