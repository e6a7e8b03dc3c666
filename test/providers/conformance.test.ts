/**
 * The behaviour every adapter shares, run over each one against a wire-exact fake of its provider:
 * a text answer, a streamed answer, a tool-call round trip (plain and streamed), usage and cost,
 * and cancellation that really hangs up on the upstream.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeCostPico, createPriceCatalog } from "../../src/accounting/index.js";
import type { ChatEvent, ChatRequest } from "../../src/core/index.js";
import { createAnthropicAdapter } from "../../src/providers/anthropic/index.js";
import { startFakeAnthropicServer } from "../../src/providers/anthropic/testing/fake-anthropic-server.js";
import { createAzureAdapter } from "../../src/providers/azure/index.js";
import { startFakeAzureServer } from "../../src/providers/azure/testing/fake-azure-server.js";
import { createBedrockAdapter } from "../../src/providers/bedrock/index.js";
import { startFakeBedrockServer } from "../../src/providers/bedrock/testing/fake-bedrock-server.js";
import { createGeminiAdapter } from "../../src/providers/gemini/index.js";
import { startFakeGeminiServer } from "../../src/providers/gemini/testing/fake-gemini-server.js";
import { createOllamaAdapter } from "../../src/providers/ollama/index.js";
import { startFakeOllamaServer } from "../../src/providers/ollama/testing/fake-ollama-server.js";
import { createOpenAIAdapter } from "../../src/providers/openai/index.js";
import { createOpenAICompatibleAdapter } from "../../src/providers/openai-compatible/index.js";
import { startFakeOpenAICompatibleServer } from "../../src/providers/openai-compatible/testing/fake-openai-compatible-server.js";
import type { AdapterSettings, ProviderAdapter } from "../../src/providers/spec.js";
import { createSimulator } from "../../src/simulator/index.js";
import { startCountingProxy, type CountingProxy } from "../helpers/counting-proxy.js";

interface Subject {
  name: string;
  model: string;
  priceProvider?: string;
  start(): Promise<{ baseUrl: string; close(): Promise<void> }>;
  adapter(baseUrl: string): ProviderAdapter;
}

const settings = (provider: string, baseUrl: string, extra: Record<string, unknown> = {}, apiKey = "test-key"): AdapterSettings => ({ provider, baseUrl, apiKey, extra });

const SUBJECTS: Subject[] = [
  {
    name: "openai",
    model: "gpt-4o-mini",
    async start() {
      const simulator = createSimulator({ seed: 1 });
      const url = await simulator.listen(0, "127.0.0.1");
      return { baseUrl: `${url}/v1`, close: () => simulator.close() };
    },
    adapter: (baseUrl) => createOpenAIAdapter(settings("openai", baseUrl)),
  },
  {
    name: "anthropic",
    model: "claude-3-5-haiku-20241022",
    start: () => startFakeAnthropicServer({ text: "Hello from the fake Anthropic server, café 日本" }),
    adapter: (baseUrl) => createAnthropicAdapter(settings("anthropic", baseUrl)),
  },
  {
    name: "gemini",
    model: "gemini-2.0-flash",
    start: () => startFakeGeminiServer({ apiKey: "test-key" }),
    adapter: (baseUrl) => createGeminiAdapter(settings("gemini", baseUrl)),
  },
  {
    name: "bedrock",
    model: "anthropic.claude-3-haiku-20240307-v1:0",
    start: () => startFakeBedrockServer(),
    adapter: (baseUrl) => {
      const { apiKey: _unused, ...rest } = settings("bedrock", baseUrl, { region: "us-east-1", accessKeyId: "AKID", secretAccessKey: "secret" });
      return createBedrockAdapter(rest);
    },
  },
  {
    name: "azure",
    model: "gpt-4o-mini",
    priceProvider: "azure",
    start: () => startFakeAzureServer(),
    adapter: (baseUrl) => createAzureAdapter(settings("azure", baseUrl, { deployment: "gpt-4o-mini" })),
  },
  {
    name: "ollama",
    model: "llama3.1",
    priceProvider: "ollama",
    start: () => startFakeOllamaServer(),
    adapter: (baseUrl) => createOllamaAdapter(settings("ollama", baseUrl)),
  },
  {
    name: "openai-compatible (vllm preset)",
    model: "gpt-4o-mini",
    start: () => startFakeOpenAICompatibleServer(),
    adapter: (baseUrl) => createOpenAICompatibleAdapter(settings("openai-compatible", baseUrl, { preset: "vllm" })),
  },
];

const catalog = createPriceCatalog();
const tools = [{ name: "get_weather", description: "Weather for a city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } }];
const question = (model: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({ model, messages: [{ role: "user", content: "What is the weather in Oslo?" }], ...extra });

async function collect(events: AsyncIterable<ChatEvent>): Promise<ChatEvent[]> {
  const out: ChatEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

describe.each(SUBJECTS)("conformance: $name", (subject) => {
  let server: { baseUrl: string; close(): Promise<void> };
  let proxy: CountingProxy;
  let adapter: ProviderAdapter;
  beforeAll(async () => {
    server = await subject.start();
    proxy = await startCountingProxy(server.baseUrl);
    adapter = subject.adapter(proxy.url);
  });
  afterAll(async () => {
    await adapter?.close?.();
    await proxy?.close();
    await server?.close();
  });

  it("answers with text, usage and a computable cost", async () => {
    const { response } = await adapter.chat(question(subject.model));
    expect(response.message.content).toMatch(/\S/);
    expect(response.finish.unified).toBe("stop");
    expect(response.usage.inputTokens).toBeGreaterThan(0);
    expect(response.usage.outputTokens).toBeGreaterThan(0);
    const price = catalog.lookup(subject.model, subject.priceProvider);
    expect(price).toBeDefined();
    expect(computeCostPico(response.usage, price!)).toBeGreaterThanOrEqual(0n);
  });

  it("streams text and ends with one finish carrying usage", async () => {
    const { events } = await adapter.stream(question(subject.model));
    const all = await collect(events);
    const text = all.flatMap((e) => (e.type === "text-delta" ? [e.text] : [])).join("");
    expect(text).toMatch(/\S/);
    const finishes = all.filter((e) => e.type === "finish");
    expect(finishes).toHaveLength(1);
    expect(all[all.length - 1]!.type).toBe("finish");
    const finish = finishes[0] as Extract<ChatEvent, { type: "finish" }>;
    expect(finish.finish.unified).toBe("stop");
    expect(finish.usage?.outputTokens).toBeGreaterThan(0);
  });

  it("makes a tool call and answers the tool result", async () => {
    const { response } = await adapter.chat(question(subject.model, { tools }));
    expect(response.finish.unified).toBe("tool_calls");
    const call = response.message.toolCalls[0]!;
    expect(call.name).toBe("get_weather");
    expect(typeof JSON.parse(call.arguments)).toBe("object");
    const followUp = await adapter.chat({
      model: subject.model,
      tools,
      messages: [
        { role: "user", content: "What is the weather in Oslo?" },
        { role: "assistant", content: null, toolCalls: [call] },
        { role: "tool", toolCallId: call.id, content: '{"temp_c": 4}' },
      ],
    });
    expect(followUp.response.finish.unified).toBe("stop");
    expect(followUp.response.message.content).toMatch(/\S/);
  });

  it("streams a tool call whose fragments assemble into JSON arguments", async () => {
    const { events } = await adapter.stream(question(subject.model, { tools }));
    const all = await collect(events);
    const fragments = all.filter((e): e is Extract<ChatEvent, { type: "tool-call-delta" }> => e.type === "tool-call-delta" && e.index === 0);
    expect(fragments[0]!.name).toBe("get_weather");
    expect(fragments[0]!.id).toBeTruthy();
    expect(typeof JSON.parse(fragments.map((f) => f.argumentsDelta).join("") || "{}")).toBe("object");
    expect((all[all.length - 1] as Extract<ChatEvent, { type: "finish" }>).finish.unified).toBe("tool_calls");
  });

  it("hangs up on the upstream when the consumer stops early, and keeps the connection when it reads to the end", async () => {
    // A proxy and an adapter of its own, so that no pooled connection of the other cases is counted.
    const own = await startCountingProxy(server.baseUrl, { slow: true });
    const fresh = subject.adapter(own.url);
    try {
      await collect((await fresh.stream(question(subject.model))).events);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const keptAlive = own.open;
      expect(keptAlive).toBe(1);
      const { events } = await fresh.stream(question(subject.model));
      for await (const event of events) {
        expect(event).toBeDefined();
        break;
      }
      for (let i = 0; i < 100 && own.open > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(own.open).toBe(0);
    } finally {
      await fresh.close?.();
      await own.close();
    }
  });
});
