import { describe, expect, it } from "vitest";
import type { SimulatorOptions, SimulatorProfile } from "../../index.js";
import { complete, PROMPT_TOKENS, readUntilError, useSimulators, userMessages, WEATHER_TOOLS } from "../../simulator.test-helpers.js";
import { post } from "../wire.test-helpers.js";

const start = useSimulators();
const PATH = "/api/chat";
const body = (extra: Record<string, unknown> = {}) => ({ model: "llama3.2", messages: userMessages(), ...extra });

interface OllamaLine {
  model: string;
  created_at: string;
  message: { role: string; content: string; tool_calls?: Array<{ function: { name: string; arguments: unknown } }> };
  done: boolean;
  done_reason?: string;
  total_duration?: number;
  load_duration?: number;
  prompt_eval_count?: number;
  prompt_eval_duration?: number;
  eval_count?: number;
  eval_duration?: number;
}

async function chatOnce(url: string, extra: Record<string, unknown> = {}): Promise<OllamaLine> {
  const response = await post(url, PATH, body({ stream: false, ...extra }));
  expect(response.status).toBe(200);
  return (await response.json()) as OllamaLine;
}

/** NDJSON: every line is one JSON object and the body ends with a newline. */
function ndjson(text: string): OllamaLine[] {
  expect(text.endsWith("\n")).toBe(true);
  return text.slice(0, -1).split("\n").map((line) => JSON.parse(line) as OllamaLine);
}

async function streamLines(url: string, extra: Record<string, unknown> = {}): Promise<OllamaLine[]> {
  const response = await post(url, PATH, body(extra));
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("application/x-ndjson");
  return ndjson(await response.text());
}

const withProfile = (profile: SimulatorProfile, options: SimulatorOptions = {}) => start({ ...options, defaultProfile: profile });

describe("ollama /api/chat", () => {
  it("with stream:false answers one object with the message, done_reason, counts and nanosecond durations", async () => {
    const simulator = await withProfile({ firstTokenMs: 2, tokensPerSecond: 1000 }, { seed: 4 });
    const result = await chatOnce(simulator.url);
    expect(result).toMatchObject({ model: "llama3.2", done: true, done_reason: "stop", prompt_eval_count: PROMPT_TOKENS, eval_count: 16 });
    expect(new Date(result.created_at).toISOString()).toBe(result.created_at);
    expect(result.prompt_eval_duration).toBe(2_000_000);
    expect(result.eval_duration).toBe(16_000_000);
    expect(result.total_duration).toBe(result.load_duration! + result.prompt_eval_duration! + result.eval_duration!);

    const openai = await start({ seed: 4 });
    expect(result.message.content).toBe((await complete(openai.url, {})).choices[0]!.message.content);
  });

  it("streams NDJSON by default: a line per token, then the done line with the stats", async () => {
    const simulator = await withProfile({ outputTokens: 4 }, { seed: 7 });
    const lines = await streamLines(simulator.url);
    expect(lines).toHaveLength(5);
    expect(lines.slice(0, -1).every((l) => !l.done && l.done_reason === undefined)).toBe(true);
    expect(lines.at(-1)).toMatchObject({ done: true, done_reason: "stop", message: { role: "assistant", content: "" }, prompt_eval_count: PROMPT_TOKENS, eval_count: 4 });
    expect(lines.at(-1)!.eval_duration).toBeGreaterThan(0);
    const again = await withProfile({ outputTokens: 4 }, { seed: 7 });
    expect(lines.map((l) => l.message.content).join("")).toBe((await chatOnce(again.url)).message.content);
  });

  it("cuts at options.num_predict with done_reason length, and honours format json", async () => {
    const simulator = await start();
    const limited = await chatOnce(simulator.url, { options: { num_predict: 3 } });
    expect(limited).toMatchObject({ done_reason: "length", eval_count: 3 });
    const unlimited = await chatOnce(simulator.url, { options: { num_predict: -1 } });
    expect(unlimited.done_reason).toBe("stop");
    const json = await chatOnce(simulator.url, { format: { type: "object", properties: { title: { type: "string" } } } });
    expect(JSON.parse(json.message.content)).toEqual({ title: "sample" });
  });

  it("sends a tool call whole, arguments as an object, finishing with done_reason stop; a tool result gets text", async () => {
    const simulator = await start();
    const lines = await streamLines(simulator.url, { tools: WEATHER_TOOLS });
    expect(lines).toHaveLength(2);
    expect(lines[0]!.message.tool_calls).toEqual([{ function: { name: "get_weather", arguments: { city: "sample", days: 1, metric: true, extra: null } } }]);
    expect(lines[1]).toMatchObject({ done: true, done_reason: "stop" });

    const called = await chatOnce(simulator.url, { tools: WEATHER_TOOLS });
    expect(called.message.tool_calls?.[0]?.function.name).toBe("get_weather");
    const roundTrip = await chatOnce(simulator.url, {
      tools: WEATHER_TOOLS,
      messages: [...userMessages("weather?"), { role: "assistant", content: "", tool_calls: called.message.tool_calls }, { role: "tool", content: "21°C", tool_name: "get_weather" }],
    });
    expect(roundTrip.message.tool_calls).toBeUndefined();
    expect(roundTrip.message.content.length).toBeGreaterThan(0);
  });
});

describe("ollama failures and refusals", () => {
  it("answers failures as {error: string} with the status: 429, 500, 503", async () => {
    const simulator = await start({
      profiles: { e429: { failures: { rateLimit: 1 } }, e500: { failures: { serverError: 1 } }, e503: { failures: { unavailable: 1 } } },
    });
    for (const [profile, status] of [["e429", 429], ["e500", 500], ["e503", 503]] as const) {
      const response = await post(simulator.url, `/p/${profile}${PATH}`, body());
      expect(response.status).toBe(status);
      expect(await response.json()).toEqual({ error: expect.any(String) });
    }
  });

  it("mid-stream: an error line ends the stream without the done line; truncate drops it without one too", async () => {
    const simulator = await start({ profiles: { mid: { failures: { midStreamError: 1 } }, cut: { failures: { truncate: 1 } } } });
    const midText = await (await post(simulator.url, `/p/mid${PATH}`, body())).text();
    const mid = midText.slice(0, -1).split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(mid.at(-1)).toEqual({ error: expect.any(String) });
    expect(mid.some((line) => line.done === true)).toBe(false);

    const { text, error } = await readUntilError(await post(simulator.url, `/p/cut${PATH}`, body()));
    expect(error).toBeDefined();
    const lines = ndjson(text);
    expect(lines.length).toBeGreaterThanOrEqual(4);
    expect(lines.every((l) => !l.done)).toBe(true);
  });

  it("garbage: a line that is not JSON, before a proper done line", async () => {
    const simulator = await withProfile({ failures: { garbage: 1 } });
    const lines = (await (await post(simulator.url, PATH, body())).text()).split("\n");
    expect(lines).toContain("{not json");
    expect(JSON.parse(lines.at(-2)!)).toMatchObject({ done: true });
  });

  it("wants a Bearer token when a key is configured, and refuses bad bodies and unknown models", async () => {
    const keyed = await start({ apiKey: "ollama-key" });
    const refused = await post(keyed.url, PATH, body());
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ error: "unauthorized" });
    const allowed = await post(keyed.url, PATH, body({ stream: false }), { authorization: "Bearer ollama-key" });
    expect(allowed.status).toBe(200);
    await allowed.arrayBuffer();

    const simulator = await start();
    const noModel = await post(simulator.url, PATH, { messages: userMessages() });
    expect(noModel.status).toBe(400);
    expect(await noModel.json()).toEqual({ error: "model is required" });
    const unknown = await post(simulator.url, `/p/nope${PATH}`, body());
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: 'model "nope" not found, try pulling it first' });
  });
});
