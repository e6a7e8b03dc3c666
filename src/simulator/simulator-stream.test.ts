import { describe, expect, it } from "vitest";
import {
  complete,
  dataEvents,
  parseChunks,
  PROMPT_TOKENS,
  streamText,
  userMessages,
  useSimulators,
  WEATHER_TOOLS,
} from "./simulator.test-helpers.js";

const start = useSimulators();

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
