/**
 * Reasoning in the simulator, read back by the adapters: a request asking for it gets reasoning
 * text before the same answer, in OpenAI-compatible `reasoning_content` and Ollama `thinking`,
 * whole and streamed, counted in the usage; a request that does not ask gets none.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { ChatEvent, ChatRequest } from "../core/index.js";
import { createOllamaAdapter } from "../providers/ollama/index.js";
import { createOpenAICompatibleAdapter } from "../providers/openai-compatible/index.js";
import type { ProviderAdapter } from "../providers/spec.js";
import { createSimulator, type Simulator } from "./index.js";

const open: Array<{ simulator: Simulator; adapter: ProviderAdapter }> = [];
afterEach(async () => {
  for (const { simulator, adapter } of open.splice(0)) {
    await adapter.close?.();
    await simulator.close();
  }
});

type Flavor = "openai-compatible" | "ollama";

/** A fresh simulator (seed 7) and an adapter for it, so equal requests get equal answers. */
async function start(flavor: Flavor): Promise<ProviderAdapter> {
  const simulator = createSimulator({ seed: 7 });
  const url = await simulator.listen(0, "127.0.0.1");
  const adapter =
    flavor === "ollama"
      ? createOllamaAdapter({ provider: "ollama", baseUrl: url, extra: {} })
      : createOpenAICompatibleAdapter({ provider: "openai-compatible", baseUrl: `${url}/v1`, apiKey: "k", extra: {} });
  open.push({ simulator, adapter });
  return adapter;
}

const request = (model: string, reasoning: boolean): ChatRequest => ({
  model,
  messages: [{ role: "user", content: "Which sea is the Baltic?" }],
  ...(reasoning ? { reasoning: { effort: "high" as const } } : {}),
});

async function collect(events: AsyncIterable<ChatEvent>): Promise<ChatEvent[]> {
  const out: ChatEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

const CASES: Array<{ flavor: Flavor; model: string; countsReasoning: boolean }> = [
  { flavor: "openai-compatible", model: "deepseek-reasoner", countsReasoning: true },
  // Ollama reports no reasoning split: its eval_count holds the thinking too.
  { flavor: "ollama", model: "qwen3", countsReasoning: false },
];

describe.each(CASES)("simulated reasoning: $flavor", ({ flavor, model, countsReasoning }) => {
  it("answers reasoning text before the same answer when asked, and none when not", async () => {
    const plain = (await (await start(flavor)).chat(request(model, false))).response;
    const thought = (await (await start(flavor)).chat(request(model, true))).response;
    expect(plain.message.reasoning).toBeUndefined();
    expect(thought.message.reasoning).toMatch(/^\S+( \S+){11}$/);
    expect(thought.message.content).toBe(plain.message.content);
    expect(thought.usage.outputTokens).toBe(plain.usage.outputTokens + 12);
    expect(thought.usage.reasoningTokens).toBe(countsReasoning ? 12 : 0);
  });

  it("streams the reasoning first, then the text, and the same reasoning as the whole answer", async () => {
    const whole = (await (await start(flavor)).chat(request(model, true))).response;
    const events = await collect((await (await start(flavor)).stream(request(model, true))).events);
    const reasoning = events.flatMap((event) => (event.type === "reasoning-delta" ? [event.text] : []));
    const text = events.flatMap((event) => (event.type === "text-delta" ? [event.text] : []));
    expect(reasoning).toHaveLength(12);
    expect(reasoning.join("")).toBe(whole.message.reasoning);
    expect(text.join("")).toBe(whole.message.content);
    expect(events.findIndex((event) => event.type === "text-delta")).toBeGreaterThan(events.findLastIndex((event) => event.type === "reasoning-delta"));
    expect(events.at(-1)).toMatchObject({ type: "finish", usage: { outputTokens: whole.usage.outputTokens, reasoningTokens: whole.usage.reasoningTokens } });
  });
});
