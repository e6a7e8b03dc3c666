/** Timers that do not keep the process alive: an idle call log must not hold a process that is done. */
export function unrefTimer(callback: () => void, ms: number): () => void {
  const timer = setTimeout(callback, ms);
  timer.unref();
  return () => clearTimeout(timer);
}

export const refSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
