import { msSince } from "./latency-stats.js";

/**
 * Reads an OpenAI-style SSE body to its end: the ms from `start` to the first non-empty content delta,
 * and whether `[DONE]` came. A string test, not JSON.parse, per event: the client shares the cores.
 */
export async function readSseStream(body: AsyncIterable<unknown>, start: bigint): Promise<{ ttftMs: number | undefined; done: boolean }> {
  let ttftMs: number | undefined;
  let done = false;
  let pending = "";
  for await (const chunk of body) {
    pending += (chunk as Buffer).toString("utf8");
    let end: number;
    while ((end = pending.indexOf("\n\n")) >= 0) {
      const event = pending.slice(0, end);
      pending = pending.slice(end + 2);
      if (!event.startsWith("data: ")) continue;
      const data = event.slice(6);
      if (data === "[DONE]") done = true;
      else if (ttftMs === undefined && data.includes('"content":"') && !data.includes('"content":""')) ttftMs = msSince(start);
    }
  }
  return { ttftMs, done };
}
