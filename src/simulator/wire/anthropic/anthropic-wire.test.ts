import { describe, expect, it } from "vitest";
import type { SimulatorOptions, SimulatorProfile } from "../../index.js";
import { complete, PROMPT_TOKENS, readUntilError, useSimulators } from "../../simulator.test-helpers.js";
import { parseSse, post } from "../wire.test-helpers.js";

const start = useSimulators();
const PATH = "/v1/messages";
const WEATHER = {
  name: "get_weather",
  input_schema: { type: "object", properties: { city: { type: "string" }, days: { type: "integer" } } },
};
const body = (extra: Record<string, unknown> = {}) => ({
  model: "claude-sonnet-4",
  max_tokens: 1024,
  system: "You are terse.",
  messages: [{ role: "user", content: "hello there" }],
  ...extra,
});

interface MessageShape {
  id: string;
  type: string;
  role: string;
  model: string;
  content: Array<{ type: string; text?: string; id?: string; name?: string; input?: unknown }>;
  stop_reason: string;
  stop_sequence: string | null;
  usage: { input_tokens: number; output_tokens: number; cache_read_input_tokens: number; cache_creation_input_tokens: number };
}

/** The fields of Anthropic's stream events the tests read. */
interface EventData {
  type: string;
  index?: number;
  message?: Record<string, unknown>;
  content_block?: Record<string, unknown>;
  delta?: { type?: string; text?: string; partial_json?: string; stop_reason?: string; stop_sequence?: string | null };
  usage?: Record<string, unknown>;
  error?: Record<string, unknown>;
}

const parseEvents = (text: string, lineEnding: "\n" | "\r\n" = "\n") =>
  parseSse(text, lineEnding).map((e) => ({ event: e.event, data: JSON.parse(e.data) as EventData }));

async function message(url: string, extra: Record<string, unknown> = {}, path = PATH): Promise<MessageShape> {
  const response = await post(url, path, body(extra));
  expect(response.status).toBe(200);
  return (await response.json()) as MessageShape;
}

async function streamEvents(url: string, extra: Record<string, unknown> = {}) {
  const response = await post(url, PATH, body({ stream: true, ...extra }));
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
  return parseEvents(await response.text());
}

const withProfile = (profile: SimulatorProfile, options: SimulatorOptions = {}) => start({ ...options, defaultProfile: profile });

describe("anthropic messages", () => {
  it("answers in the message shape with Anthropic's ids, usage and rate-limit headers", async () => {
    const simulator = await start({ seed: 4 });
    const response = await post(simulator.url, PATH, body());
    expect(response.headers.get("request-id")).toMatch(/^req_[0-9a-f]{32}$/);
    expect(response.headers.get("anthropic-ratelimit-requests-limit")).toBe("10000");
    expect(response.headers.get("anthropic-ratelimit-requests-remaining")).toBe("9999");
    expect(response.headers.get("anthropic-ratelimit-requests-reset")).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const result = (await response.json()) as MessageShape;
    expect(result).toMatchObject({ type: "message", role: "assistant", model: "claude-sonnet-4", stop_reason: "end_turn", stop_sequence: null });
    expect(result.id).toMatch(/^msg_[A-Za-z0-9]{29}$/);
    expect(result.content).toHaveLength(1);
    expect(result.content[0]!.type).toBe("text");
    expect(result.usage).toEqual({
      input_tokens: PROMPT_TOKENS, // the top-level system prompt counts like OpenAI's system message
      output_tokens: 16,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      service_tier: "standard",
    });

    // The shared core: same seed and request number give the same words as the OpenAI route.
    const openai = await start({ seed: 4 });
    expect(result.content[0]!.text).toBe((await complete(openai.url, {})).choices[0]!.message.content);
  });

  it("maps limits, stop sequences and cached tokens into Anthropic's vocabulary", async () => {
    const first = await start({ seed: 5 });
    const full = (await message(first.url)).content[0]!.text!;
    const limited = await message(first.url, { max_tokens: 3 });
    expect(limited.stop_reason).toBe("max_tokens");
    expect(limited.usage.output_tokens).toBe(3);

    const stop = ` ${full.split(" ")[2]}`;
    const again = await start({ seed: 5 });
    const stopped = await message(again.url, { stop_sequences: ["never", stop] });
    expect(stopped).toMatchObject({ stop_reason: "stop_sequence", stop_sequence: stop });
    expect(stopped.content[0]!.text).toBe(full.slice(0, full.indexOf(stop)));

    const cached = await withProfile({ cachedPromptFraction: 0.5 });
    const usage = (await message(cached.url)).usage;
    expect(usage.cache_read_input_tokens).toBe(Math.floor(PROMPT_TOKENS * 0.5));
    expect(usage.input_tokens + usage.cache_read_input_tokens).toBe(PROMPT_TOKENS);
  });

  it("streams named events in order, each name equal to its data type, with a ping as keep-alive", async () => {
    const simulator = await withProfile({ keepAliveComments: true, outputTokens: 5, lineEnding: "\r\n" }, { seed: 6 });
    const response = await post(simulator.url, PATH, body({ stream: true }));
    const events = parseEvents(await response.text(), "\r\n");
    expect(events.map((e) => e.event)).toEqual([
      "message_start", "ping", "content_block_start",
      ...Array<string>(5).fill("content_block_delta"),
      "content_block_stop", "message_delta", "message_stop",
    ]);
    expect(events.every((e) => e.event === e.data.type)).toBe(true);
    expect(events[0]!.data.message).toMatchObject({ role: "assistant", content: [], stop_reason: null, usage: { input_tokens: PROMPT_TOKENS, output_tokens: 1 } });
    expect(events[2]!.data).toEqual({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } });
    expect(events.at(-2)!.data).toEqual({ type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 5 } });

    const plain = await withProfile({ outputTokens: 5 }, { seed: 6 });
    const text = events.filter((e) => e.event === "content_block_delta").map((e) => e.data.delta?.text ?? "").join("");
    expect(text).toBe((await message(plain.url)).content[0]!.text);
  });
});

describe("anthropic tool use", () => {
  it("answers with a tool_use block whose input is an object, forced or not, and text after a tool_result", async () => {
    const simulator = await start();
    const called = await message(simulator.url, { tools: [WEATHER] });
    expect(called.stop_reason).toBe("tool_use");
    const [block] = called.content;
    expect(block).toEqual({ type: "tool_use", id: expect.stringMatching(/^toolu_[A-Za-z0-9]{24}$/), name: "get_weather", input: { city: "sample", days: 1 } });

    const forced = await message(simulator.url, { tools: [WEATHER, { name: "get_time", input_schema: { type: "object" } }], tool_choice: { type: "tool", name: "get_time" } });
    expect(forced.content[0]).toMatchObject({ type: "tool_use", name: "get_time", input: {} });
    expect((await message(simulator.url, { tools: [WEATHER], tool_choice: { type: "none" } })).stop_reason).toBe("end_turn");

    const roundTrip = await message(simulator.url, {
      tools: [WEATHER],
      messages: [
        { role: "user", content: "weather?" },
        { role: "assistant", content: [block] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: block!.id, content: "21°C" }] },
      ],
    });
    expect(roundTrip.stop_reason).toBe("end_turn");
    expect(roundTrip.content[0]!.type).toBe("text");
  });

  it("streams a tool_use block with input_json_delta fragments", async () => {
    const simulator = await start();
    const events = await streamEvents(simulator.url, { tools: [WEATHER] });
    const start_ = events.find((e) => e.event === "content_block_start")!;
    expect(start_.data.content_block).toEqual({ type: "tool_use", id: expect.stringMatching(/^toolu_/), name: "get_weather", input: {} });
    const fragments = events.filter((e) => e.event === "content_block_delta").map((e) => e.data.delta!);
    expect(fragments.every((d) => d.type === "input_json_delta")).toBe(true);
    expect(fragments[0]!.partial_json).toBe("");
    expect(JSON.parse(fragments.map((d) => d.partial_json ?? "").join(""))).toEqual({ city: "sample", days: 1 });
    expect(events.at(-2)!.data.delta).toEqual({ stop_reason: "tool_use", stop_sequence: null });
  });
});

describe("anthropic failures and refusals", () => {
  it("rate limit: 429 rate_limit_error with retry-after and no requests remaining", async () => {
    const simulator = await withProfile({ failures: { rateLimit: 1 }, retryAfterMs: 2500 });
    const response = await post(simulator.url, PATH, body());
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("3");
    expect(response.headers.get("anthropic-ratelimit-requests-remaining")).toBe("0");
    const requestId = response.headers.get("request-id");
    expect(await response.json()).toEqual({ type: "error", error: { type: "rate_limit_error", message: expect.stringContaining("rate limit") }, request_id: requestId });
  });

  it("server error 500 api_error, overloaded 529 overloaded_error", async () => {
    const simulator = await start({ profiles: { e500: { failures: { serverError: 1 } }, e529: { failures: { unavailable: 1 } } } });
    const e500 = await post(simulator.url, `/p/e500${PATH}`, body());
    expect(e500.status).toBe(500);
    expect(await e500.json()).toMatchObject({ type: "error", error: { type: "api_error" } });
    const e529 = await post(simulator.url, `/p/e529${PATH}`, body({ stream: true }));
    expect(e529.status).toBe(529);
    expect(await e529.json()).toMatchObject({ type: "error", error: { type: "overloaded_error", message: "[simulated] Overloaded" } });
  });

  it("mid-stream error: an `event: error` after some deltas, and no message_stop", async () => {
    const simulator = await withProfile({ failures: { midStreamError: 1 } });
    const events = await streamEvents(simulator.url);
    expect(events.at(-1)).toEqual({ event: "error", data: { type: "error", error: { type: "overloaded_error", message: "[simulated] Overloaded" } } });
    expect(events.some((e) => e.event === "content_block_delta")).toBe(true);
    expect(events.some((e) => e.event === "message_stop")).toBe(false);
  });

  it("truncate: the stream drops without message_stop; garbage: a delta that is not JSON", async () => {
    const truncated = await withProfile({ failures: { truncate: 1 } });
    const response = await post(truncated.url, PATH, body({ stream: true }));
    const { text, error } = await readUntilError(response);
    expect(error).toBeDefined();
    expect(parseSse(text)[0]!.event).toBe("message_start");
    expect(text).not.toContain("message_stop");

    const garbage = await withProfile({ failures: { garbage: 1 } });
    const events = parseSse(await (await post(garbage.url, PATH, body({ stream: true }))).text());
    expect(events).toContainEqual({ event: "content_block_delta", data: "{not json" });
    expect(events.at(-1)!.event).toBe("message_stop");
  });

  it("requires x-api-key or a Bearer token when a key is configured, refusing with authentication_error", async () => {
    const simulator = await start({ apiKey: "sk-ant-1" });
    const missing = await post(simulator.url, PATH, body());
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ type: "error", error: { type: "authentication_error", message: "x-api-key header is required" } });
    const wrong = await post(simulator.url, PATH, body(), { "x-api-key": "sk-ant-2" });
    expect(((await wrong.json()) as { error: { message: string } }).error.message).toBe("invalid x-api-key");
    for (const headers of [{ "x-api-key": "sk-ant-1" }, { authorization: "Bearer sk-ant-1" }] as Array<Record<string, string>>) {
      const ok = await post(simulator.url, PATH, body(), headers);
      expect(ok.status).toBe(200);
      await ok.arrayBuffer();
    }
  });

  it("rejects bad bodies and unknown profiles in Anthropic's error shape", async () => {
    const simulator = await start();
    const noMax = await post(simulator.url, PATH, { model: "m", messages: [{ role: "user", content: "hi" }] });
    expect(noMax.status).toBe(400);
    expect(await noMax.json()).toEqual({ type: "error", error: { type: "invalid_request_error", message: "max_tokens: Field required" } });
    const badJson = await post(simulator.url, PATH, "{nope");
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
    const unknown = await post(simulator.url, `/p/nope${PATH}`, body());
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ type: "error", error: { type: "not_found_error" } });
  });
});
