import { describe, expect, it } from "vitest";
import type { ChatEvent, ChatRequest, ChatResponse } from "../../core/index.js";
import { createAnthropicAdapter } from "../../providers/anthropic/index.js";
import { createBedrockAdapter } from "../../providers/bedrock/index.js";
import { createGeminiAdapter } from "../../providers/gemini/index.js";
import { decodeGeminiThoughtSignature } from "../../providers/gemini/wire/gemini-tool-call-id.js";
import { collectEvents } from "../../providers/http/testing/adapter-test-helpers.js";
import type { ProviderAdapter } from "../../providers/spec.js";
import { useSimulators } from "../simulator.test-helpers.js";

const start = useSimulators();

type Provider = "anthropic" | "bedrock" | "gemini";

const ADAPTERS: Record<Provider, { model: string; create: (url: string) => ProviderAdapter }> = {
  anthropic: { model: "claude-sonnet-4", create: (url) => createAnthropicAdapter({ provider: "anthropic", baseUrl: url, apiKey: "k", extra: {} }) },
  bedrock: { model: "anthropic.claude-sonnet-4", create: (url) => createBedrockAdapter({ provider: "bedrock", baseUrl: url, apiKey: "k", extra: { region: "us-east-1" } }) },
  gemini: { model: "gemini-2.5-flash", create: (url) => createGeminiAdapter({ provider: "gemini", baseUrl: url, apiKey: "k", extra: {} }) },
};

const joined = (events: ChatEvent[], type: "text-delta" | "reasoning-delta"): string => events.map((e) => (e.type === type ? e.text : "")).join("");

/** Each call on a fresh simulator with one seed, so equal requests get equal answers. */
async function ask(provider: Provider, request: ChatRequest): Promise<{ response: ChatResponse; events: ChatEvent[] }> {
  const run = async <T>(call: (adapter: ProviderAdapter) => Promise<T>): Promise<T> => {
    const simulator = await start({ seed: 7 });
    const adapter = ADAPTERS[provider].create(simulator.url);
    try {
      return await call(adapter);
    } finally {
      await adapter.close?.();
    }
  };
  const { response } = await run((adapter) => adapter.chat(request));
  const events = await run(async (adapter) => collectEvents((await adapter.stream(request)).events));
  return { response, events };
}

describe.each(["anthropic", "bedrock", "gemini"] as const)("the simulator's %s reasoning", (provider) => {
  const base: ChatRequest = { model: ADAPTERS[provider].model, maxTokens: 2000, messages: [{ role: "user", content: "Name a sea" }] };
  const tools = [{ name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } }];

  it("opens a text answer with reasoning when asked, streamed or not, leaving the answer as it was", async () => {
    const plain = await ask(provider, base);
    expect(plain.response.message.reasoning).toBeUndefined();
    expect(joined(plain.events, "reasoning-delta")).toBe("");

    const { response, events } = await ask(provider, { ...base, reasoning: { effort: "low" } });
    expect(response.message.content).toBe(plain.response.message.content);
    expect(response.message.reasoning?.split(" ")).toHaveLength(12);
    expect(joined(events, "reasoning-delta")).toBe(response.message.reasoning);
    expect(joined(events, "text-delta")).toBe(response.message.content);
    if (provider === "gemini") {
      expect(response.usage.reasoningTokens).toBe(12);
    } else {
      expect(response.message.reasoningSignature).toMatch(/^[A-Za-z0-9]{48}$/);
      expect(events).toContainEqual({ type: "reasoning-signature", signature: response.message.reasoningSignature });
      expect(response.usage.outputTokens).toBe(plain.response.usage.outputTokens + 12);
    }
  });

  it("signs a tool call's reasoning, and takes the signed history back on the next turn", async () => {
    const request: ChatRequest = { ...base, tools, reasoning: { effort: "low" } };
    const { response } = await ask(provider, request);
    const [call] = response.message.toolCalls;
    expect(call?.name).toBe("get_weather");
    if (provider === "gemini") expect(decodeGeminiThoughtSignature(call?.id ?? "")).toMatch(/^[A-Za-z0-9]{48}$/);
    else expect(response.message.reasoningSignature).toMatch(/^[A-Za-z0-9]{48}$/);

    const { content, reasoning, reasoningSignature, toolCalls } = response.message;
    const next = await ask(provider, {
      ...request,
      messages: [
        ...request.messages,
        { role: "assistant", content, toolCalls, reasoning: reasoning ?? undefined, reasoningSignature: reasoningSignature ?? undefined },
        { role: "tool", toolCallId: call?.id ?? "", name: "get_weather", content: "21°C" },
      ],
    });
    expect(next.response.finish.unified).toBe("stop");
    expect(next.response.message.content).not.toBe("");
  });
});

describe("reasoning on each wire", () => {
  const post = async (url: string, path: string, body: unknown): Promise<Record<string, any>> => {
    const response = await fetch(url + path, { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer k" }, body: JSON.stringify(body) });
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, any>;
  };

  it("Anthropic: a signed thinking block before the text, counted in output_tokens", async () => {
    const simulator = await start();
    const body = { model: "claude-sonnet-4", max_tokens: 4000, messages: [{ role: "user", content: "hi" }] };
    const plain = await post(simulator.url, "/v1/messages", body);
    const message = await post(simulator.url, "/v1/messages", { ...body, thinking: { type: "enabled", budget_tokens: 2048 } });
    expect(message.content.map((block: { type: string }) => block.type)).toEqual(["thinking", "text"]);
    expect(message.content[0]).toEqual({ type: "thinking", thinking: expect.any(String), signature: expect.stringMatching(/^[A-Za-z0-9]{48}$/) });
    expect(message.usage.output_tokens).toBe(plain.usage.output_tokens + 12);
    const disabled = await post(simulator.url, "/v1/messages", { ...body, thinking: { type: "disabled" } });
    expect(disabled.content.map((block: { type: string }) => block.type)).toEqual(["text"]);
  });

  it("Gemini: thought parts, the answer's part signed, thoughtsTokenCount; only with includeThoughts", async () => {
    const simulator = await start();
    const path = "/v1beta/models/gemini-2.5-flash:generateContent";
    const body = { contents: [{ role: "user", parts: [{ text: "hi" }] }] };
    const answer = await post(simulator.url, path, { ...body, generationConfig: { thinkingConfig: { thinkingBudget: 1024, includeThoughts: true } } });
    const parts = answer.candidates[0].content.parts as Array<Record<string, unknown>>;
    expect(parts.map((part) => part.thought === true)).toEqual([true, false]);
    expect(parts[1]?.thoughtSignature).toMatch(/^[A-Za-z0-9]{48}$/);
    expect(answer.usageMetadata.thoughtsTokenCount).toBe(12);
    const quiet = await post(simulator.url, path, { ...body, generationConfig: { thinkingConfig: { thinkingBudget: 1024 } } });
    expect(quiet.candidates[0].content.parts).toHaveLength(1);
  });

  it("Bedrock: reasoningContent with its signature before the text", async () => {
    const simulator = await start();
    const body = { messages: [{ role: "user", content: [{ text: "hi" }] }], additionalModelRequestFields: { thinking: { type: "enabled", budget_tokens: 1024 } } };
    const answer = await post(simulator.url, "/model/anthropic.claude-sonnet-4/converse", body);
    const [reasoning, text] = answer.output.message.content as Array<Record<string, any>>;
    expect(reasoning?.reasoningContent.reasoningText).toEqual({ text: expect.any(String), signature: expect.stringMatching(/^[A-Za-z0-9]{48}$/) });
    expect(typeof text?.text).toBe("string");
  });
});
