import { describe, expect, it } from "vitest";
import {
  complete,
  type CompletionShape,
  dataEvents,
  PROMPT_TOKENS,
  readUntilError,
  useSimulators,
  userMessages,
  WEATHER_TOOLS,
} from "../../simulator.test-helpers.js";
import { post } from "../wire.test-helpers.js";

const start = useSimulators();
const PATH = "/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21";
const body = (extra: Record<string, unknown> = {}) => ({ messages: userMessages(), ...extra });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SAFE = { filtered: false, severity: "safe" };

type AzureCompletion = CompletionShape & {
  prompt_filter_results: Array<{ prompt_index: number; content_filter_results: Record<string, unknown> }>;
  choices: Array<CompletionShape["choices"][number] & { content_filter_results: Record<string, unknown> }>;
};

interface AzureChunk {
  id: string;
  object: string;
  created: number;
  model: string;
  prompt_filter_results?: unknown[];
  choices: Array<{ content_filter_results: Record<string, unknown>; delta: Record<string, unknown>; finish_reason: string | null }>;
  usage?: Record<string, unknown> | null;
}

describe("azure chat completions", () => {
  it("answers OpenAI's shape plus filter verdicts, named after the deployment, with UUID request ids", async () => {
    const simulator = await start({ seed: 4 });
    const response = await post(simulator.url, PATH, body());
    expect(response.status).toBe(200);
    expect(response.headers.get("apim-request-id")).toMatch(UUID);
    expect(response.headers.get("x-ratelimit-remaining-requests")).toBe("9999");
    const result = (await response.json()) as AzureCompletion;
    expect(result.model).toBe("gpt4o-prod");
    expect(result.object).toBe("chat.completion");
    expect(result.prompt_filter_results[0]).toMatchObject({ prompt_index: 0, content_filter_results: { hate: SAFE, jailbreak: { filtered: false, detected: false } } });
    expect(result.choices[0]).toMatchObject({ finish_reason: "stop", content_filter_results: { violence: SAFE } });
    expect(result.usage).toMatchObject({ prompt_tokens: PROMPT_TOKENS, completion_tokens: 16 });

    const openai = await start({ seed: 4 });
    expect(result.choices[0]!.message.content).toBe((await complete(openai.url, {})).choices[0]!.message.content);
  });

  it("streams a filter-only first chunk with empty identity fields, then chunks with content_filter_results and [DONE]", async () => {
    const simulator = await start({ defaultProfile: { outputTokens: 3 } });
    const response = await post(simulator.url, PATH, body({ stream: true, stream_options: { include_usage: true } }));
    const events = dataEvents(await response.text());
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e) as AzureChunk);
    expect(chunks[0]).toMatchObject({ choices: [], created: 0, id: "", model: "", object: "" });
    expect(chunks[0]!.prompt_filter_results).toHaveLength(1);
    expect(chunks[1]!.choices[0]).toMatchObject({ content_filter_results: {}, delta: { role: "assistant", content: "" } });
    expect(chunks.slice(2, 5).every((c) => (c.choices[0]!.content_filter_results as { hate?: unknown }).hate !== undefined)).toBe(true);
    expect(chunks[5]!.choices[0]).toMatchObject({ delta: {}, finish_reason: "stop" });
    expect(chunks[6]).toMatchObject({ choices: [], usage: { completion_tokens: 3 } });
  });

  it("calls tools like OpenAI", async () => {
    const simulator = await start();
    const response = await post(simulator.url, PATH, body({ tools: WEATHER_TOOLS }));
    const result = (await response.json()) as AzureCompletion;
    expect(result.choices[0]!.finish_reason).toBe("tool_calls");
    expect(JSON.parse(result.choices[0]!.message.tool_calls![0]!.function.arguments)).toEqual({ city: "sample", days: 1, metric: true, extra: null });
  });
});

describe("azure failures and refusals", () => {
  it("rate limit: 429 with a string code, retry-after and remaining headers", async () => {
    const simulator = await start({ defaultProfile: { failures: { rateLimit: 1 }, retryAfterMs: 6000 } });
    const response = await post(simulator.url, PATH, body());
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("6");
    expect(response.headers.get("retry-after-ms")).toBe("6000");
    expect(response.headers.get("x-ratelimit-remaining-tokens")).not.toBeNull();
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe("429");
    expect(error.message).toContain("API version 2024-10-21");
    expect(error.message).toContain("retry after 6 seconds");
  });

  it("500 and 503 as OpenAI-shaped server errors; truncate drops the stream before [DONE]", async () => {
    const simulator = await start({
      profiles: { e500: { failures: { serverError: 1 } }, e503: { failures: { unavailable: 1 } }, cut: { failures: { truncate: 1 } } },
    });
    const e500 = await post(simulator.url, `/p/e500${PATH}`, body());
    expect(e500.status).toBe(500);
    expect(await e500.json()).toMatchObject({ error: { type: "server_error" } });
    const e503 = await post(simulator.url, `/p/e503${PATH}`, body());
    expect(e503.status).toBe(503);
    await e503.arrayBuffer();
    const { text, error } = await readUntilError(await post(simulator.url, `/p/cut${PATH}`, body({ stream: true })));
    expect(error).toBeDefined();
    expect(text.startsWith('data: {"choices":[],"created":0')).toBe(true);
    expect(text).not.toContain("[DONE]");
  });

  it("takes the key in api-key (or Bearer), needs api-version, and reports unknown deployments", async () => {
    const simulator = await start({ apiKey: "azure-key" });
    const refused = await post(simulator.url, PATH, body(), { "api-key": "other" });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ error: { code: "401", message: expect.stringContaining("Access denied") } });
    for (const headers of [{ "api-key": "azure-key" }, { authorization: "Bearer azure-key" }] as Array<Record<string, string>>) {
      const ok = await post(simulator.url, PATH, body(), headers);
      expect(ok.status).toBe(200);
      await ok.arrayBuffer();
    }
    const noVersion = await post(simulator.url, PATH.slice(0, PATH.indexOf("?")), body(), { "api-key": "azure-key" });
    expect(noVersion.status).toBe(404);
    await noVersion.arrayBuffer();
    const unknown = await post(simulator.url, `/p/nope${PATH}`, body(), { "api-key": "azure-key" });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: "DeploymentNotFound" } });
  });
});
