import { setFlagsFromString } from "node:v8";

/**
 * Sets how far V8 lets the old generation grow past the live heap of the last full collection
 * (`--heap-growing-percent`; 0 keeps V8's heuristic). V8 reads the flag each time it sets the next
 * collection's limit, so setting it once the process runs is enough. Without it, V8 chooses a growth
 * of up to 4× and starts from a limit of hundreds of MB: a gateway relaying thousands of streams,
 * whose per-stream objects all outlive the young generation, held several times its live heap in
 * garbage (README "Memory").
 */
export function applyHeapGrowth(percent: number, setFlags: (flags: string) => void = setFlagsFromString): void {
  if (percent > 0) setFlags(`--heap-growing-percent=${percent}`);
}
