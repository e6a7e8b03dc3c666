import { Pool } from "undici";
import { msSince } from "./latency-stats.js";
import { createStreamTally, runClosedLoop, type StreamRunResult } from "./stream-run-result.js";

export interface SseTtftOptions {
  /** The simulator's base URL. */
  url: string;
  concurrency: number;
  streams: number;
}

/** The streaming body the gateway's OpenAI adapter sends upstream for the subscription. */
const STREAM_BODY = JSON.stringify({
  model: "gpt-4o-mini",
  messages: [{ role: "user", content: "Tell the benchmark a story" }],
  stream: true,
  stream_options: { include_usage: true },
});

/** Baseline: SSE chat-completion streams straight to the simulator over keep-alive connections. */
export async function runSseTtft(options: SseTtftOptions): Promise<StreamRunResult> {
  const pool = new Pool(options.url, { connections: options.concurrency, pipelining: 1 });
  const tally = createStreamTally(options.concurrency);
  try {
    const seconds = await runClosedLoop(options.streams, options.concurrency, async () => {
      const start = process.hrtime.bigint();
      try {
        const response = await pool.request({
          path: "/v1/chat/completions",
          method: "POST",
          headers: { "content-type": "application/json", authorization: "Bearer bench" },
          body: STREAM_BODY,
        });
        if (response.statusCode !== 200) {
          tally.failure(`HTTP ${response.statusCode}: ${(await response.body.text()).slice(0, 300)}`);
          return;
        }
        let ttft: number | undefined;
        let done = false;
        let pending = "";
        for await (const chunk of response.body) {
          pending += (chunk as Buffer).toString("utf8");
          let end: number;
          while ((end = pending.indexOf("\n\n")) >= 0) {
            const event = pending.slice(0, end);
            pending = pending.slice(end + 2);
            if (!event.startsWith("data: ")) continue;
            const data = event.slice(6);
            if (data === "[DONE]") done = true;
            else if (ttft === undefined && hasContent(data)) ttft = msSince(start);
          }
        }
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

function hasContent(data: string): boolean {
  const parsed = JSON.parse(data) as { choices?: Array<{ delta?: { content?: unknown } }> };
  const content = parsed.choices?.[0]?.delta?.content;
  return typeof content === "string" && content !== "";
}
