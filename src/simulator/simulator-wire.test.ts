import { request as httpRequest, Agent } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { createSimulator, type Simulator, type SimulatorOptions } from "./index.js";
import { dataEvents, parseChunks, postChat, userMessages } from "./simulator.test-helpers.js";

const started: Simulator[] = [];
async function start(options: SimulatorOptions = {}): Promise<Simulator> {
  const simulator = createSimulator(options);
  started.push(simulator);
  await simulator.listen();
  return simulator;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});

interface CompletionShape {
  id: string;
  object: string;
  created: number;
  model: string;
  choices: Array<{
    index: number;
    message: { role: string; content: string | null; refusal: null; tool_calls?: Array<{ id: string; type: string; function: { name: string; arguments: string } }> };
    finish_reason: string;
  }>;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number; prompt_tokens_details: { cached_tokens: number } };
}

async function complete(url: string, body: Record<string, unknown>, path?: string): Promise<CompletionShape> {
  const response = await postChat(url, { model: "gpt-4o-mini", messages: userMessages(), ...body }, { path });
  expect(response.status).toBe(200);
  return (await response.json()) as CompletionShape;
}

async function streamText(url: string, body: Record<string, unknown>): Promise<string> {
  const response = await postChat(url, { model: "gpt-4o-mini", messages: userMessages(), stream: true, ...body });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
  return response.text();
}

// "You are terse." = 14 chars → 4 + 4; "hello there" = 11 chars → 3 + 4.
const PROMPT_TOKENS = 15;

const WEATHER_TOOLS = [
  {
    type: "function",
    function: {
      name: "get_weather",
      parameters: { type: "object", properties: { city: { type: "string" }, days: { type: "integer" }, metric: { type: "boolean" }, extra: { type: "object" } } },
    },
  },
  { type: "function", function: { name: "get_time", parameters: { type: "object", properties: { zone: { type: "string", enum: ["UTC", "CET"] } } } } },
];

describe("non-streaming responses", () => {
  it("answers in the chat.completion shape with usage and rate-limit headers", async () => {
    const simulator = await start();
    const response = await postChat(simulator.url, { model: "gpt-4o-mini", messages: userMessages() });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("x-request-id")).toMatch(/^req_[0-9a-f]{32}$/);
    expect(response.headers.get("x-ratelimit-limit-requests")).toBe("10000");
    expect(response.headers.get("x-ratelimit-limit-tokens")).toBe("1000000");
    expect(response.headers.get("x-ratelimit-remaining-requests")).toBe("9999");
    expect(response.headers.get("x-ratelimit-reset-requests")).toMatch(/^(\d+m)?\d+(\.\d+)?s$/);
    const text = await response.text();
    expect(response.headers.get("content-length")).toBe(String(Buffer.byteLength(text)));

    const body = JSON.parse(text) as CompletionShape;
    expect(body.id).toMatch(/^chatcmpl-/);
    expect(body.object).toBe("chat.completion");
    expect(Number.isInteger(body.created)).toBe(true);
    expect(body.model).toBe("gpt-4o-mini");
    const [choice] = body.choices;
    expect(choice).toMatchObject({ index: 0, message: { role: "assistant", refusal: null }, finish_reason: "stop", logprobs: null });
    const words = (choice!.message.content ?? "").split(" ");
    expect(words).toHaveLength(16);
    expect(body.usage).toEqual({
      prompt_tokens: PROMPT_TOKENS,
      completion_tokens: 16,
      total_tokens: PROMPT_TOKENS + 16,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    });

    const second = await postChat(simulator.url, { model: "gpt-4o-mini", messages: userMessages() });
    expect(second.headers.get("x-ratelimit-remaining-requests")).toBe("9998");
    expect(Number(second.headers.get("x-ratelimit-remaining-tokens"))).toBe(1_000_000 - 2 * (PROMPT_TOKENS + 16));
  });

  it("applies the profile's model, length, cache fraction and rate limits", async () => {
    const simulator = await start({
      profiles: { small: { model: "sim-small", outputTokens: 4, cachedPromptFraction: 0.5, rateLimit: { requests: 60, tokens: 1000 } } },
    });
    const response = await postChat(simulator.url, { model: "whatever", messages: userMessages() }, { path: "/p/small/v1/chat/completions" });
    expect(response.headers.get("x-ratelimit-limit-requests")).toBe("60");
    expect(response.headers.get("x-ratelimit-remaining-requests")).toBe("59");
    const body = (await response.json()) as CompletionShape;
    expect(body.model).toBe("sim-small");
    expect(body.usage.completion_tokens).toBe(4);
    expect(body.usage.prompt_tokens_details.cached_tokens).toBe(Math.floor(PROMPT_TOKENS * 0.5));
  });

  it("cuts at max_tokens / max_completion_tokens with finish_reason length", async () => {
    const simulator = await start();
    for (const limit of [{ max_tokens: 3 }, { max_completion_tokens: 3 }, { max_tokens: 10, max_completion_tokens: 3 }]) {
      const body = await complete(simulator.url, limit);
      expect(body.choices[0]!.finish_reason).toBe("length");
      expect(body.usage.completion_tokens).toBe(3);
      expect(body.choices[0]!.message.content!.split(" ")).toHaveLength(3);
    }
  });

  it("cuts at a stop string with finish_reason stop and without sending the stop string", async () => {
    const first = await start({ seed: 5 });
    const full = (await complete(first.url, {})).choices[0]!.message.content!;
    const stop = ` ${full.split(" ")[3]}`;
    const again = await start({ seed: 5 });
    const body = await complete(again.url, { stop: ["never-appears", stop] });
    expect(body.choices[0]!.finish_reason).toBe("stop");
    expect(body.choices[0]!.message.content).toBe(full.slice(0, full.indexOf(stop)));
    expect(body.usage.completion_tokens).toBeLessThanOrEqual(3);
  });

  it("answers json_object and json_schema formats with parseable JSON", async () => {
    const simulator = await start();
    const object = await complete(simulator.url, { response_format: { type: "json_object" } });
    expect(JSON.parse(object.choices[0]!.message.content!)).toEqual({ answer: expect.any(String) });
    const schema = await complete(simulator.url, {
      response_format: { type: "json_schema", json_schema: { name: "r", schema: { type: "object", properties: { title: { type: "string" }, score: { type: "number" } } } } },
    });
    expect(JSON.parse(schema.choices[0]!.message.content!)).toEqual({ title: "sample", score: 1 });
  });
});

describe("streaming responses", () => {
  it("frames every chunk as data events, with finish, usage and [DONE] in order", async () => {
    const streamed = await start({ seed: 9 });
    const text = await streamText(streamed.url, { stream_options: { include_usage: true } });
    const events = dataEvents(text);
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = parseChunks(events);
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    expect(new Set(chunks.map((c) => c.created)).size).toBe(1);
    expect(chunks.every((c) => c.object === "chat.completion.chunk")).toBe(true);
    expect(chunks[0]!.choices[0]!.delta).toEqual({ role: "assistant", content: "", refusal: null });

    const usageChunk = chunks.at(-1)!;
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage).toMatchObject({ prompt_tokens: PROMPT_TOKENS, completion_tokens: 16, total_tokens: PROMPT_TOKENS + 16 });
    const finishChunk = chunks.at(-2)!;
    expect(finishChunk.choices[0]).toMatchObject({ delta: {}, finish_reason: "stop" });
    expect(Object.keys(finishChunk.choices[0]!.delta)).toHaveLength(0);
    const contentChunks = chunks.slice(1, -2);
    expect(contentChunks).toHaveLength(16);
    expect(contentChunks.every((c) => c.usage === null && c.choices[0]!.finish_reason === null)).toBe(true);

    // Same seed and request number: the stream carries the same text as a plain response.
    const plain = await start({ seed: 9 });
    const expected = (await complete(plain.url, {})).choices[0]!.message.content;
    expect(contentChunks.map((c) => c.choices[0]!.delta.content).join("")).toBe(expected);
  });

  it("sends no usage at all without include_usage", async () => {
    const simulator = await start();
    const events = dataEvents(await streamText(simulator.url, { max_tokens: 2 }));
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = parseChunks(events);
    expect(chunks.every((c) => !("usage" in c))).toBe(true);
    expect(chunks.at(-1)!.choices[0]).toMatchObject({ delta: {}, finish_reason: "length" });
    expect(chunks).toHaveLength(1 + 2 + 1);
  });

  it("supports CRLF line endings and a keep-alive comment", async () => {
    const simulator = await start({ defaultProfile: { lineEnding: "\r\n", keepAliveComments: true, outputTokens: 2 } });
    const text = await streamText(simulator.url, {});
    expect(text.startsWith(": keep-alive\r\n\r\ndata: ")).toBe(true);
    const events = dataEvents(text.slice(": keep-alive\r\n\r\n".length), "\r\n");
    expect(events.at(-1)).toBe("[DONE]");
    expect(parseChunks(events)).toHaveLength(4);
  });

  it("paces tokens when tokensPerSecond is set and still sends the same answer", async () => {
    const paced = await start({ seed: 2, defaultProfile: { tokensPerSecond: 400, outputTokens: 6 } });
    const instant = await start({ seed: 2, defaultProfile: { outputTokens: 6 } });
    const [slow, fast] = await Promise.all([streamText(paced.url, {}), streamText(instant.url, {})]);
    const strip = (text: string) => parseChunks(dataEvents(text)).map((c) => c.choices[0]!.delta.content ?? "").join("");
    expect(strip(slow)).toBe(strip(fast));
    expect(dataEvents(slow).at(-1)).toBe("[DONE]");
  });
});

describe("tool calls", () => {
  it("calls the first tool with arguments built from its schema", async () => {
    const simulator = await start();
    const body = await complete(simulator.url, { tools: WEATHER_TOOLS });
    const [choice] = body.choices;
    expect(choice!.finish_reason).toBe("tool_calls");
    expect(choice!.message.content).toBeNull();
    const [call] = choice!.message.tool_calls!;
    expect(call!.id).toMatch(/^call_[A-Za-z0-9]{24}$/);
    expect(call!.type).toBe("function");
    expect(call!.function.name).toBe("get_weather");
    expect(JSON.parse(call!.function.arguments)).toEqual({ city: "sample", days: 1, metric: true, extra: null });
  });

  it("honours a forced tool and tool_choice none, and answers a tool result with text", async () => {
    const simulator = await start();
    const forced = await complete(simulator.url, { tools: WEATHER_TOOLS, tool_choice: { type: "function", function: { name: "get_time" } } });
    const call = forced.choices[0]!.message.tool_calls![0]!;
    expect(call.function.name).toBe("get_time");
    expect(JSON.parse(call.function.arguments)).toEqual({ zone: "UTC" });

    const none = await complete(simulator.url, { tools: WEATHER_TOOLS, tool_choice: "none" });
    expect(none.choices[0]!.finish_reason).toBe("stop");
    expect(typeof none.choices[0]!.message.content).toBe("string");

    const roundTrip = await complete(simulator.url, {
      tools: WEATHER_TOOLS,
      messages: [
        ...userMessages("weather?"),
        { role: "assistant", content: null, tool_calls: [{ id: call.id, type: "function", function: { name: "get_time", arguments: call.function.arguments } }] },
        { role: "tool", tool_call_id: call.id, content: '{"time":"12:00"}' },
      ],
    });
    expect(roundTrip.choices[0]!.finish_reason).toBe("stop");
    expect(roundTrip.choices[0]!.message.tool_calls).toBeUndefined();
    expect(roundTrip.choices[0]!.message.content!.length).toBeGreaterThan(0);
  });

  it("streams a tool call as an opening fragment, 2–3 argument fragments and a finish chunk", async () => {
    const simulator = await start();
    const events = dataEvents(await streamText(simulator.url, { tools: WEATHER_TOOLS }));
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = parseChunks(events);
    const opening = chunks[0]!.choices[0]!.delta;
    expect(opening).toMatchObject({ role: "assistant", content: null, refusal: null });
    expect(opening.tool_calls).toEqual([{ index: 0, id: expect.stringMatching(/^call_[A-Za-z0-9]{24}$/), type: "function", function: { name: "get_weather", arguments: "" } }]);
    const fragments = chunks.slice(1, -1).map((c) => c.choices[0]!.delta.tool_calls as Array<{ index: number; id?: string; function: { arguments: string } }>);
    expect(fragments.length).toBeGreaterThanOrEqual(2);
    expect(fragments.length).toBeLessThanOrEqual(3);
    expect(fragments.every((f) => f.length === 1 && f[0]!.index === 0 && f[0]!.id === undefined)).toBe(true);
    expect(JSON.parse(fragments.map((f) => f[0]!.function.arguments).join(""))).toEqual({ city: "sample", days: 1, metric: true, extra: null });
    expect(chunks.at(-1)!.choices[0]).toEqual({ index: 0, delta: {}, logprobs: null, finish_reason: "tool_calls" });
  });
});

describe("routes, auth and validation", () => {
  it("lists models for all profiles and for one profile", async () => {
    const simulator = await start({ defaultProfile: { model: "sim-default" }, profiles: { fast: { model: "sim-fast" }, slow: {} } });
    const all = (await (await fetch(`${simulator.url}/v1/models`)).json()) as { object: string; data: Array<{ id: string; object: string }> };
    expect(all.object).toBe("list");
    expect(all.data.map((m) => m.id)).toEqual(["sim-default", "sim-fast", "slow"]);
    const one = (await (await fetch(`${simulator.url}/p/fast/v1/models`)).json()) as { data: Array<{ id: string }> };
    expect(one.data.map((m) => m.id)).toEqual(["sim-fast"]);
  });

  it("answers unknown routes and profiles with OpenAI-shaped 404s", async () => {
    const simulator = await start();
    const route = await fetch(`${simulator.url}/v1/embeddings`, { method: "POST", body: "{}" });
    expect(route.status).toBe(404);
    expect(await route.json()).toEqual({ error: { message: "Invalid URL (POST /v1/embeddings)", type: "invalid_request_error", param: null, code: null } });
    const profile = await postChat(simulator.url, { model: "m", messages: userMessages() }, { path: "/p/nope/v1/chat/completions" });
    expect(profile.status).toBe(404);
    expect(await profile.json()).toMatchObject({ error: { type: "invalid_request_error", code: "model_not_found", param: null } });
  });

  it("rejects bad bodies with 400 invalid_request_error", async () => {
    const simulator = await start();
    const badJson = await postChat(simulator.url, "{not json");
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({ error: { type: "invalid_request_error", param: null, code: null } });
    for (const body of [{ model: "m" }, { model: "m", messages: [] }, { model: "m", messages: "hi" }]) {
      const response = await postChat(simulator.url, body);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { type: "invalid_request_error", param: "messages", message: expect.any(String) } });
    }
    const noModel = await postChat(simulator.url, { messages: userMessages() });
    expect(noModel.status).toBe(400);
    const streamOptions = await postChat(simulator.url, { model: "m", messages: userMessages(), stream_options: { include_usage: true } });
    expect(((await streamOptions.json()) as { error: { param: string } }).error.param).toBe("stream_options");
  });

  it("requires the API key when one is configured", async () => {
    const simulator = await start({ apiKey: "sk-test-1234" });
    const missing = await postChat(simulator.url, { model: "m", messages: userMessages() });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: { type: "invalid_request_error", code: "invalid_api_key", param: null } });
    const wrong = await postChat(simulator.url, { model: "m", messages: userMessages() }, { headers: { authorization: "Bearer sk-wrong-9999" } });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { message: string } }).error.message).toContain("9999");
    const right = await postChat(simulator.url, { model: "m", messages: userMessages() }, { headers: { authorization: "Bearer sk-test-1234" } });
    expect(right.status).toBe(200);
  });

  it("records requests with their headers, parsed body and profile", async () => {
    const simulator = await start({ profiles: { a: {} } });
    await (await postChat(simulator.url, { model: "m", messages: userMessages("first") }, { path: "/p/a/v1/chat/completions", headers: { "x-trace": "t1" } })).text();
    await (await fetch(`${simulator.url}/v1/models`)).text();
    expect(simulator.requests).toHaveLength(2);
    const [chat, models] = simulator.requests;
    expect(chat).toMatchObject({ method: "POST", path: "/p/a/v1/chat/completions", profile: "a", body: { model: "m", messages: userMessages("first") } });
    expect(chat!.headers["x-trace"]).toBe("t1");
    expect(models).toMatchObject({ method: "GET", path: "/v1/models", profile: "default", body: undefined });
    expect(simulator.stats.requests).toBe(2);
    expect(simulator.stats.open).toBe(0);
  });

  it("keeps connections alive across non-streaming, error and streaming responses", async () => {
    const simulator = await start();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = (body: string) =>
      new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
        const req = httpRequest(`${simulator.url}/v1/chat/completions`, { method: "POST", agent, headers: { "content-type": "application/json" } }, (res) => {
          res.resume();
          res.on("end", () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
        });
        req.on("error", reject);
        req.end(body);
      });
    try {
      const ok = JSON.stringify({ model: "m", messages: userMessages() });
      const results = [await send(ok), await send("{bad"), await send(JSON.stringify({ model: "m", messages: userMessages(), stream: true })), await send(ok)];
      expect(results.map((r) => r.status)).toEqual([200, 400, 200, 200]);
      expect(results.map((r) => r.reused)).toEqual([false, true, true, true]);
    } finally {
      agent.destroy();
    }
  });
});
