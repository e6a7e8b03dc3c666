import { describe, expect, it } from "vitest";
import type { SimulatorOptions, SimulatorProfile } from "../../index.js";
import { complete, PROMPT_TOKENS, readUntilError, useSimulators } from "../../simulator.test-helpers.js";
import { parseSse, post } from "../wire.test-helpers.js";

const start = useSimulators();
const MODEL = "gemini-2.0-flash";
const UNARY = `/v1beta/models/${MODEL}:generateContent`;
const STREAM = `/v1beta/models/${MODEL}:streamGenerateContent?alt=sse`;
const WEATHER_TOOLS = [
  {
    functionDeclarations: [
      { name: "get_weather", parameters: { type: "OBJECT", properties: { city: { type: "STRING" }, days: { type: "INTEGER" } } } },
      { name: "get_time", parameters: { type: "OBJECT", properties: { zone: { type: "STRING", enum: ["UTC"] } } } },
    ],
  },
];
const body = (extra: Record<string, unknown> = {}) => ({
  systemInstruction: { parts: [{ text: "You are terse." }] },
  contents: [{ role: "user", parts: [{ text: "hello there" }] }],
  ...extra,
});

interface GeminiResponse {
  candidates: Array<{
    content: { role: string; parts: Array<{ text?: string; functionCall?: { name: string; args: Record<string, unknown> } }> };
    finishReason?: string;
  }>;
  usageMetadata: { promptTokenCount: number; candidatesTokenCount?: number; totalTokenCount: number; cachedContentTokenCount?: number };
  modelVersion: string;
  responseId: string;
}

async function generate(url: string, extra: Record<string, unknown> = {}, path = UNARY): Promise<GeminiResponse> {
  const response = await post(url, path, body(extra));
  expect(response.status).toBe(200);
  return (await response.json()) as GeminiResponse;
}

async function streamChunks(url: string, extra: Record<string, unknown> = {}): Promise<GeminiResponse[]> {
  const response = await post(url, STREAM, body(extra));
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("text/event-stream");
  const events = parseSse(await response.text());
  expect(events.every((e) => e.event === undefined)).toBe(true);
  return events.map((e) => JSON.parse(e.data) as GeminiResponse);
}

const withProfile = (profile: SimulatorProfile, options: SimulatorOptions = {}) => start({ ...options, defaultProfile: profile });
const textOf = (response: GeminiResponse): string => response.candidates[0]!.content.parts.map((p) => p.text ?? "").join("");

describe("gemini generateContent", () => {
  it("answers with candidates, usageMetadata and the path's model", async () => {
    const simulator = await start({ seed: 4 });
    const result = await generate(simulator.url);
    const [candidate] = result.candidates;
    expect(candidate).toMatchObject({ content: { role: "model" }, finishReason: "STOP" });
    expect(result.usageMetadata).toMatchObject({ promptTokenCount: PROMPT_TOKENS, candidatesTokenCount: 16, totalTokenCount: PROMPT_TOKENS + 16 });
    expect(result.usageMetadata.cachedContentTokenCount).toBeUndefined();
    expect(result.modelVersion).toBe(MODEL);
    expect(result.responseId).toMatch(/^[A-Za-z0-9]+$/);

    const openai = await start({ seed: 4 });
    expect(textOf(result)).toBe((await complete(openai.url, {})).choices[0]!.message.content);
  });

  it("reads generation config in camelCase and snake_case; MAX_TOKENS when cut; JSON when asked", async () => {
    const simulator = await start();
    const camel = await generate(simulator.url, { generationConfig: { maxOutputTokens: 3 } });
    expect(camel.candidates[0]!.finishReason).toBe("MAX_TOKENS");
    expect(camel.usageMetadata.candidatesTokenCount).toBe(3);
    const snake = await generate(simulator.url, { generation_config: { max_output_tokens: 2 } });
    expect(snake.usageMetadata.candidatesTokenCount).toBe(2);
    const json = await generate(simulator.url, {
      generationConfig: { responseMimeType: "application/json", responseSchema: { type: "OBJECT", properties: { title: { type: "STRING" } } } },
    });
    expect(JSON.parse(textOf(json))).toEqual({ title: "sample" });
    const cached = await withProfile({ cachedPromptFraction: 0.5 });
    expect((await generate(cached.url)).usageMetadata.cachedContentTokenCount).toBe(Math.floor(PROMPT_TOKENS / 2));
  });

  it("streams data-only events without a sentinel; only the last has finishReason and full usage", async () => {
    const simulator = await withProfile({ outputTokens: 5 }, { seed: 8 });
    const chunks = await streamChunks(simulator.url);
    expect(chunks).toHaveLength(5);
    expect(chunks.slice(0, -1).every((c) => c.candidates[0]!.finishReason === undefined && c.usageMetadata.candidatesTokenCount === undefined)).toBe(true);
    expect(chunks.at(-1)!.candidates[0]!.finishReason).toBe("STOP");
    expect(chunks.at(-1)!.usageMetadata).toMatchObject({ promptTokenCount: PROMPT_TOKENS, candidatesTokenCount: 5 });
    const plain = await withProfile({ outputTokens: 5 }, { seed: 8 });
    expect(chunks.map(textOf).join("")).toBe(textOf(await generate(plain.url)));
  });

  it("streams a JSON array when alt=sse is left out", async () => {
    const simulator = await withProfile({ outputTokens: 3 });
    const response = await post(simulator.url, `/v1beta/models/${MODEL}:streamGenerateContent`, body());
    expect(response.headers.get("content-type")).toBe("application/json; charset=UTF-8");
    const chunks = (await response.json()) as GeminiResponse[];
    expect(chunks).toHaveLength(3);
    expect(chunks.at(-1)!.candidates[0]!.finishReason).toBe("STOP");
  });
});

describe("gemini function calling", () => {
  it("answers a functionCall part (args an object, STOP), honours ANY/NONE, and answers a functionResponse with text", async () => {
    const simulator = await start();
    const called = await generate(simulator.url, { tools: WEATHER_TOOLS });
    expect(called.candidates[0]!.finishReason).toBe("STOP");
    expect(called.candidates[0]!.content.parts).toEqual([{ functionCall: { name: "get_weather", args: { city: "sample", days: 1 } } }]);

    const forced = await generate(simulator.url, {
      tools: WEATHER_TOOLS,
      toolConfig: { functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["get_time"] } },
    });
    expect(forced.candidates[0]!.content.parts[0]!.functionCall).toEqual({ name: "get_time", args: { zone: "UTC" } });
    const none = await generate(simulator.url, { tools: WEATHER_TOOLS, tool_config: { function_calling_config: { mode: "NONE" } } });
    expect(typeof none.candidates[0]!.content.parts[0]!.text).toBe("string");

    const roundTrip = await generate(simulator.url, {
      tools: WEATHER_TOOLS,
      contents: [
        { role: "user", parts: [{ text: "weather?" }] },
        { role: "model", parts: called.candidates[0]!.content.parts },
        { role: "user", parts: [{ functionResponse: { name: "get_weather", response: { temp_c: 21 } } }] },
      ],
    });
    expect(roundTrip.candidates[0]!.content.parts[0]!.text!.length).toBeGreaterThan(0);
  });

  it("streams a function call whole in one chunk", async () => {
    const simulator = await start();
    const chunks = await streamChunks(simulator.url, { tools: WEATHER_TOOLS });
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.candidates[0]).toMatchObject({ finishReason: "STOP", content: { parts: [{ functionCall: { name: "get_weather" } }] } });
  });
});

describe("gemini failures and refusals", () => {
  it("rate limit: 429 RESOURCE_EXHAUSTED with QuotaFailure and a RetryInfo delay", async () => {
    const simulator = await withProfile({ failures: { rateLimit: 1 }, retryAfterMs: 1500, rateLimit: { requests: 15, tokens: 1000 } });
    const response = await post(simulator.url, UNARY, body());
    expect(response.status).toBe(429);
    const { error } = (await response.json()) as { error: { code: number; status: string; details: Array<Record<string, unknown>> } };
    expect(error).toMatchObject({ code: 429, status: "RESOURCE_EXHAUSTED" });
    expect(error.details).toContainEqual({ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "1.5s" });
    expect(error.details).toContainEqual(expect.objectContaining({ "@type": "type.googleapis.com/google.rpc.QuotaFailure" }));
  });

  it("500 INTERNAL and 503 UNAVAILABLE; mid-stream a bare JSON error", async () => {
    const simulator = await start({
      profiles: { e500: { failures: { serverError: 1 } }, e503: { failures: { unavailable: 1 } }, mid: { failures: { midStreamError: 1 }, outputTokens: 6 } },
    });
    const e500 = await post(simulator.url, `/p/e500${UNARY}`, body());
    expect(e500.status).toBe(500);
    expect(await e500.json()).toMatchObject({ error: { code: 500, status: "INTERNAL" } });
    const e503 = await post(simulator.url, `/p/e503${STREAM}`, body());
    expect(e503.status).toBe(503);
    expect(await e503.json()).toMatchObject({ error: { code: 503, status: "UNAVAILABLE" } });

    const mid = await (await post(simulator.url, `/p/mid${STREAM}`, body())).text();
    const blocks = mid.trimEnd().split("\n\n");
    expect(blocks.slice(0, -1).every((b) => b.startsWith("data: "))).toBe(true);
    expect(JSON.parse(blocks.at(-1)!)).toMatchObject({ error: { code: 503, status: "UNAVAILABLE" } });
    expect(mid).not.toContain("finishReason");
  });

  it("truncate closes before the finishReason chunk, even when that is the only one", async () => {
    const simulator = await start({ profiles: { many: { failures: { truncate: 1 } }, one: { failures: { truncate: 1 }, outputTokens: 1 } } });
    const many = await readUntilError(await post(simulator.url, `/p/many${STREAM}`, body()));
    expect(many.error).toBeDefined();
    expect(parseSse(many.text).length).toBeGreaterThanOrEqual(4);
    expect(many.text).not.toContain("finishReason");

    const one = await post(simulator.url, `/p/one${STREAM}`, body());
    expect(one.status).toBe(200);
    const { text, error } = await readUntilError(one);
    expect(error).toBeDefined();
    expect(text).toBe("");
  });

  it("wants the key in x-goog-api-key or ?key=: a wrong key is 400 API_KEY_INVALID, a missing one 403", async () => {
    const simulator = await start({ apiKey: "AIza-test" });
    const wrong = await post(simulator.url, UNARY, body(), { "x-goog-api-key": "AIza-wrong" });
    expect(wrong.status).toBe(400);
    const { error } = (await wrong.json()) as { error: { status: string; details: Array<{ reason?: string }> } };
    expect(error.status).toBe("INVALID_ARGUMENT");
    expect(error.details[0]!.reason).toBe("API_KEY_INVALID");
    const missing = await post(simulator.url, UNARY, body());
    expect(missing.status).toBe(403);
    expect(await missing.json()).toMatchObject({ error: { code: 403, status: "PERMISSION_DENIED" } });
    expect((await post(simulator.url, UNARY, body(), { "x-goog-api-key": "AIza-test" })).status).toBe(200);
    const query = await post(simulator.url, `${STREAM}&key=AIza-test`, body());
    expect(query.status).toBe(200);
    await query.arrayBuffer();
  });

  it("rejects bad bodies with 400 INVALID_ARGUMENT and unknown profiles with 404 NOT_FOUND", async () => {
    const simulator = await start();
    for (const bad of [{ contents: [] }, { contents: [{ role: "user" }] }, "{not json"]) {
      const response = await post(simulator.url, UNARY, bad);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 400, status: "INVALID_ARGUMENT" } });
    }
    const unknown = await post(simulator.url, `/p/nope${UNARY}`, body());
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 404, status: "NOT_FOUND" } });
  });
});
