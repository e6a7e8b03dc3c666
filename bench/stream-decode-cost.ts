/**
 * What reading one provider stream costs, in process: a recorded-shape OpenAI stream (role chunk, 16 text
 * chunks, the finish chunk, the usage chunk and `[DONE]`: 20 SSE events, ~6 kB) read by the adapter's reader
 * (guardedStreamEvents with sseFrames and the OpenAI decoder) from a fake response, to its `finish`. No
 * sockets, so the figure is steady on a loaded machine: CPU µs and allocated bytes per stream.
 *
 *   node dist/bench/stream-decode-cost.js [--streams 20000] [--rounds 5] [--chunking whole|event|64] [--heap-prof]
 *
 * --chunking: the body in one network chunk (`whole`), one chunk per SSE event (`event`, a paced upstream),
 * or cut every N bytes (events split across chunks).
 */
import { Session } from "node:inspector/promises";
import type { ChatEvent } from "../src/core/index.js";
import type { HttpResponse } from "../src/providers/http/create-http-client.js";
import { guardedStreamEvents } from "../src/providers/http/guarded-stream-events.js";
import { sseFrames } from "../src/providers/http/sse-events.js";
import { OpenAIStreamDecoder } from "../src/providers/openai/wire/openai-stream-events.js";

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const head =
  'data: {"id":"chatcmpl-CVFjAbCdEfGhIjKlMnOpQrStUvWx","object":"chat.completion.chunk","created":1761564674,"model":"gpt-4o-mini-2024-07-18",' +
  '"service_tier":"default","system_fingerprint":"fp_560af6e559","choices":';
const choice = (delta: string, finish: string): string => `[{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finish}}],"usage":null}\n\n`;
const WORDS = ["Hello", " from", " the", " simulator", ",", " benchmark", ".", " Here", " is", " a", " short", " answer", " with", " café", " 日本", " 🚀"];
export const OPENAI_STREAM_EVENTS: string[] = [
  head + choice('{"role":"assistant","content":"","refusal":null}', "null"),
  ...WORDS.map((word) => head + choice(`{"content":${JSON.stringify(word)}}`, "null")),
  head + choice("{}", '"stop"'),
  `${head}[],"usage":{"prompt_tokens":12,"completion_tokens":16,"total_tokens":28,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}\n\n`,
  "data: [DONE]\n\n",
];

function chunked(mode: string): Buffer[] {
  if (mode === "event") return OPENAI_STREAM_EVENTS.map((event) => Buffer.from(event));
  const whole = Buffer.from(OPENAI_STREAM_EVENTS.join(""));
  if (mode === "whole") return [whole];
  const size = Number(mode);
  const chunks: Buffer[] = [];
  for (let at = 0; at < whole.length; at += size) chunks.push(whole.subarray(at, at + size));
  return chunks;
}

const response = (chunks: Buffer[]): HttpResponse => ({
  status: 200,
  headers: {},
  body: {
    async *[Symbol.asyncIterator]() {
      for (const chunk of chunks) yield chunk;
    },
  },
  text: async () => "",
  release: () => undefined,
  abort: () => undefined,
});

async function main(): Promise<void> {
  const streams = Number(option("streams") ?? 20_000);
  const rounds = Number(option("rounds") ?? 5);
  const chunks = chunked(option("chunking") ?? "whole");
  const once = async (): Promise<void> => {
    const decoder = new OpenAIStreamDecoder({ provider: "openai", model: "gpt-4o-mini" });
    let last: ChatEvent | undefined;
    let count = 0;
    for await (const event of guardedStreamEvents(response(chunks), sseFrames(), decoder, { provider: "openai" })) {
      last = event;
      count++;
    }
    if (last?.type !== "finish" || count !== WORDS.length + 1) throw new Error(`${count} events, last ${JSON.stringify(last)}`);
  };
  const run = async (count: number): Promise<void> => {
    for (let i = 0; i < count; i++) await once();
  };
  await run(streams);
  const cpu: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const before = process.cpuUsage();
    await run(streams);
    const used = process.cpuUsage(before);
    cpu.push((used.user + used.system) / streams);
  }
  // Allocation: V8's sampling heap profiler, counting what minor and major GCs collected too.
  const session = new Session();
  session.connect();
  await session.post("HeapProfiler.enable");
  await session.post("HeapProfiler.startSampling", { samplingInterval: 128, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true });
  await run(streams);
  const { profile: heap } = await session.post("HeapProfiler.stopSampling");
  const byFunction = new Map<string, number>();
  let bytes = 0;
  const walk = (node: typeof heap.head): void => {
    bytes += node.selfSize;
    if (node.selfSize > 0) {
      const key = `${node.callFrame.functionName || "(anonymous)"} ${node.callFrame.url.replace(/^.*\/(node_modules|dist)\//, "")}:${node.callFrame.lineNumber + 1}`;
      byFunction.set(key, (byFunction.get(key) ?? 0) + node.selfSize);
    }
    node.children.forEach(walk);
  };
  walk(heap.head);
  session.disconnect();
  const sorted = [...cpu].sort((a, b) => a - b);
  const bodyBytes = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  console.log(`${chunks.length} chunk(s), ${bodyBytes} bytes per stream`);
  console.log(`CPU µs per stream, ${rounds} rounds of ${streams}: median ${sorted[Math.floor(rounds / 2)]!.toFixed(2)} (${cpu.map((v) => v.toFixed(2)).join(" ")})`);
  console.log(`allocated bytes per stream: ${(bytes / streams).toFixed(0)}`);
  if (process.argv.includes("--heap-prof")) {
    for (const [key, size] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${(size / streams).toFixed(0).padStart(6)}  ${key}`);
  }
}

await main();
