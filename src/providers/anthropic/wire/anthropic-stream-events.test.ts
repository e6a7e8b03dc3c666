import { describe, expect, it } from "vitest";
import { ProviderError, type ChatEvent } from "../../../core/index.js";
import type { SseEvent } from "../../http/sse-events.js";
import { anthropicStreamEvents } from "./anthropic-stream-events.js";

/** Named events as Anthropic sends them: the event name equals `data.type`. */
const ev = (data: Record<string, unknown> & { type: string }): SseEvent => ({ event: data.type, data: JSON.stringify(data) });

async function* sse(...events: SseEvent[]): AsyncGenerator<SseEvent> {
  yield* events;
}

const run = async (events: AsyncIterable<SseEvent>): Promise<{ events: ChatEvent[]; error?: ProviderError }> => {
  const out: ChatEvent[] = [];
  try {
    for await (const event of anthropicStreamEvents(events, { provider: "anthropic", model: "asked-model" })) out.push(event);
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    return { events: out, error };
  }
  return { events: out };
};

const start = ev({
  type: "message_start",
  message: { id: "msg_1", model: "claude-x", usage: { input_tokens: 10, cache_read_input_tokens: 5, cache_creation_input_tokens: 2, output_tokens: 1 } },
});
const stop = ev({ type: "message_stop" });
const toolStart = (index: number, id: string, name: string, input: unknown = {}) =>
  ev({ type: "content_block_start", index, content_block: { type: "tool_use", id, name, input } });
const jsonDelta = (index: number, partial: string) =>
  ev({ type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: partial } });
const blockStop = (index: number) => ev({ type: "content_block_stop", index });

describe("anthropicStreamEvents", () => {
  it("numbers tool calls by their position among calls, not by content block", async () => {
    const { events, error } = await run(
      sse(
        start,
        ev({ type: "content_block_start", index: 0, content_block: { type: "thinking", thinking: "" } }),
        ev({ type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: "hmm" } }),
        blockStop(0),
        ev({ type: "content_block_start", index: 1, content_block: { type: "text", text: "" } }),
        ev({ type: "content_block_delta", index: 1, delta: { type: "text_delta", text: "Sure." } }),
        blockStop(1),
        toolStart(2, "toolu_a", "get_weather"),
        jsonDelta(2, ""),
        jsonDelta(2, '{"city":'),
        jsonDelta(2, '"Paris"}'),
        blockStop(2),
        toolStart(3, "toolu_b", "get_time"),
        jsonDelta(3, ""),
        blockStop(3),
        ev({ type: "message_delta", delta: { stop_reason: "tool_use", stop_sequence: null }, usage: { output_tokens: 40 } }),
        stop,
      ),
    );
    expect(error).toBeUndefined();
    expect(events).toEqual([
      { type: "reasoning-delta", text: "hmm" },
      { type: "text-delta", text: "Sure." },
      { type: "tool-call-delta", index: 0, id: "toolu_a", name: "get_weather", argumentsDelta: "" },
      { type: "tool-call-delta", index: 0, argumentsDelta: '{"city":' },
      { type: "tool-call-delta", index: 0, argumentsDelta: '"Paris"}' },
      { type: "tool-call-delta", index: 1, id: "toolu_b", name: "get_time", argumentsDelta: "" },
      // A call whose arguments never stream reports `{}`, as a non-streamed answer does.
      { type: "tool-call-delta", index: 1, argumentsDelta: "{}" },
      {
        type: "finish",
        finish: { unified: "tool_calls", raw: "tool_use" },
        usage: { inputTokens: 17, cachedInputTokens: 5, cacheWriteTokens: 2, outputTokens: 40, reasoningTokens: 0 },
        model: "claude-x",
        id: "msg_1",
      },
    ]);
  });

  it("uses a tool_use block's start input when no deltas follow, and ignores server-tool input", async () => {
    const { events } = await run(
      sse(
        start,
        ev({ type: "content_block_start", index: 0, content_block: { type: "server_tool_use", id: "srvtoolu_1", name: "web_search", input: {} } }),
        jsonDelta(0, '{"query":"x"}'),
        blockStop(0),
        toolStart(1, "toolu_a", "f", { a: 1 }),
        blockStop(1),
        ev({ type: "message_delta", delta: { stop_reason: "tool_use" }, usage: { output_tokens: 3 } }),
        stop,
      ),
    );
    expect(events.filter((event) => event.type === "tool-call-delta")).toEqual([
      { type: "tool-call-delta", index: 0, id: "toolu_a", name: "f", argumentsDelta: "" },
      { type: "tool-call-delta", index: 0, argumentsDelta: '{"a":1}' },
    ]);
  });

  it("lets message_delta usage replace message_start's and reports the asked model when none is named", async () => {
    const { events } = await run(
      sse(
        ev({ type: "message_start", message: { id: "msg_2", usage: { input_tokens: 3, output_tokens: 1 } } }),
        ev({
          type: "message_delta",
          delta: { stop_reason: "max_tokens" },
          usage: { input_tokens: 4, cache_read_input_tokens: null, output_tokens: 9 },
        }),
        stop,
      ),
    );
    expect(events).toEqual([
      {
        type: "finish",
        finish: { unified: "length", raw: "max_tokens" },
        usage: { inputTokens: 4, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 9, reasoningTokens: 0 },
        model: "asked-model",
        id: "msg_2",
      },
    ]);
  });

  it("reports usage null when none was sent, and ignores pings, unknown events and empty data", async () => {
    const { events } = await run(
      sse(
        ev({ type: "message_start", message: { id: "m", model: "claude-x" } }),
        ev({ type: "ping" }),
        { event: "ping", data: "" },
        ev({ type: "some_future_event", detail: 1 }),
        ev({ type: "message_delta", delta: { stop_reason: "refusal" } }),
        stop,
      ),
    );
    expect(events).toEqual([
      { type: "finish", finish: { unified: "content_filter", raw: "refusal" }, usage: null, model: "claude-x", id: "m" },
    ]);
  });

  it("calls an end without message_stop truncated, even after a stop reason", async () => {
    const { events, error } = await run(
      sse(start, ev({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "hi" } }), ev({ type: "message_delta", delta: { stop_reason: "end_turn" } })),
    );
    expect(events).toEqual([{ type: "text-delta", text: "hi" }]);
    expect(error?.kind).toBe("connection");
    expect(error?.message).toBe("stream ended before completion");
  });

  it("throws an error event classified by its type", async () => {
    const { events, error } = await run(
      sse(
        start,
        ev({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Hel" } }),
        ev({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } }),
        stop,
      ),
    );
    expect(events).toEqual([{ type: "text-delta", text: "Hel" }]);
    expect(error).toMatchObject({ kind: "overloaded", code: "overloaded_error", message: "Overloaded", retryable: true });
    const unparsable = await run(sse(start, { event: "error", data: "upstream exploded" }));
    expect(unparsable.error).toMatchObject({ kind: "server", message: "error event in stream: upstream exploded" });
  });

  it("throws invalid_response on data that is not a JSON object or a malformed block", async () => {
    for (const bad of [{ event: "content_block_delta", data: '{"type":"content_block_del' }, { data: "[1,2]" }]) {
      const { error } = await run(sse(start, bad, stop));
      expect(error?.kind).toBe("invalid_response");
    }
    const { error } = await run(sse(start, ev({ type: "content_block_start", index: 0, content_block: { type: "tool_use" } }), stop));
    expect(error?.kind).toBe("invalid_response");
  });
});
