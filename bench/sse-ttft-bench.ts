import { Pool } from "undici";
import { msSince } from "./latency-stats.js";
import { readSseStream } from "./read-sse-stream.js";
import { createStreamTally, runClosedLoop, type StreamRunResult } from "./stream-run-result.js";

export interface SseTtftOptions {
  /** The simulator's base URL, or the gateway's. */
  url: string;
  concurrency: number;
  streams: number;
  /** The model asked for: the simulator's model name (the default), or the gateway's group. */
  model?: string;
}

/** The streaming body the gateway's OpenAI adapter sends upstream for the subscription (the gateway's own /v1 gets the same with its group's name). */
const streamBody = (model: string): string =>
  JSON.stringify({
    model,
    messages: [{ role: "user", content: "Tell the benchmark a story" }],
    stream: true,
    stream_options: { include_usage: true },
  });

/** SSE chat-completion streams over keep-alive connections: straight to the simulator (the baseline), or through the gateway's /v1. */
export async function runSseTtft(options: SseTtftOptions): Promise<StreamRunResult> {
  const pool = new Pool(options.url, { connections: options.concurrency, pipelining: 1 });
  const body = streamBody(options.model ?? "gpt-4o-mini");
  const tally = createStreamTally(options.concurrency);
  try {
    const seconds = await runClosedLoop(options.streams, options.concurrency, async () => {
      const start = process.hrtime.bigint();
      try {
        const response = await pool.request({
          path: "/v1/chat/completions",
          method: "POST",
          headers: { "content-type": "application/json", authorization: "Bearer bench" },
          body,
        });
        if (response.statusCode !== 200) {
          tally.failure(`HTTP ${response.statusCode}: ${(await response.body.text()).slice(0, 300)}`);
          return;
        }
        const { ttftMs: ttft, done } = await readSseStream(response.body, start);
        if (ttft !== undefined && done) tally.success(ttft, msSince(start));
        else tally.failure(`stream ended without ${ttft === undefined ? "content" : "[DONE]"}`);
      } catch (error) {
        tally.failure(error instanceof Error ? error.message : String(error));
      }
    });
    return tally.result(seconds);
  } finally {
    await pool.close();
  }
}
