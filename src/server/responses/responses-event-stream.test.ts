import { describe, expect, it } from "vitest";
import type { StreamChunk } from "../../gateway/completion-types.js";
import { fromResponsesRequest } from "./from-responses-request.js";
import { createResponsesEventStream } from "./responses-event-stream.js";
import { toOutputItems } from "./to-responses-wire.js";

const callId = "0b9a6f3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b";
const frame = () => ({ id: "resp_x", callId, createdAt: 1, turn: fromResponsesRequest({ model: "fast", input: "hi" }), body: {} });
const delta = (fields: Partial<Extract<StreamChunk, { kind: "delta" }>>): Extract<StreamChunk, { kind: "delta" }> => ({ kind: "delta", callId, index: 0, deployment: "d", ...fields });
const done = (unified: "stop" | "length" | "tool_calls"): Extract<StreamChunk, { kind: "done" }> => ({
  kind: "done",
  callId,
  index: 9,
  deployment: "d",
  finish: { unified, raw: null },
  usage: { inputTokens: 5, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 7, reasoningTokens: 0 },
  costPico: 0n,
  model: "m",
});

describe("createResponsesEventStream", () => {
  it("closes the text item before a function call starts, and each call at the end, in output order", () => {
    const stream = createResponsesEventStream(frame());
    const events = [
      ...stream.start(),
      ...stream.delta(delta({ text: "Let me check." })),
      ...stream.delta(delta({ toolCallDeltas: [{ index: 0, id: "call_a", name: "a", argumentsDelta: "" }] })),
      ...stream.delta(delta({ toolCallDeltas: [{ index: 0, argumentsDelta: '{"x":1}' }, { index: 1, id: "call_b", name: "b", argumentsDelta: "{}" }] })),
      ...stream.done(done("tool_calls")).events,
    ];
    expect(events.map((e) => [e.type, e.output_index ?? null])).toEqual([
      ["response.created", null],
      ["response.in_progress", null],
      ["response.output_item.added", 0],
      ["response.content_part.added", 0],
      ["response.output_text.delta", 0],
      ["response.output_text.done", 0],
      ["response.content_part.done", 0],
      ["response.output_item.done", 0],
      ["response.output_item.added", 1],
      ["response.function_call_arguments.delta", 1],
      ["response.output_item.added", 2],
      ["response.function_call_arguments.delta", 2],
      ["response.function_call_arguments.done", 1],
      ["response.output_item.done", 1],
      ["response.function_call_arguments.done", 2],
      ["response.output_item.done", 2],
      ["response.completed", null],
    ]);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    const completed = events.at(-1)!.response as { output: Array<{ type: string; call_id?: string; arguments?: string; status: string }> };
    expect(completed.output.map((item) => [item.type, item.call_id ?? null, item.arguments ?? null, item.status])).toEqual([
      ["message", null, null, "completed"],
      ["function_call", "call_a", '{"x":1}', "completed"],
      ["function_call", "call_b", "{}", "completed"],
    ]);
  });

  it("reports an answer cut by the token limit as response.incomplete", () => {
    const stream = createResponsesEventStream(frame());
    stream.start();
    stream.delta(delta({ text: "Once upon" }));
    const { events, response } = stream.done(done("length"));
    expect(events.at(-1)!.type).toBe("response.incomplete");
    expect(response).toMatchObject({ status: "incomplete", incomplete_details: { reason: "max_output_tokens" }, usage: { input_tokens: 5, output_tokens: 7, total_tokens: 12 } });
  });

  it("reports a failure after the start as response.failed with the partial output", () => {
    const stream = createResponsesEventStream(frame());
    stream.start();
    stream.delta(delta({ text: "Once" }));
    const [failed] = stream.failed({ code: "UPSTREAM_ERROR", httpStatus: 502, message: "openai failed: cut", details: {} });
    expect(failed).toMatchObject({ type: "response.failed", sequence_number: 5, response: { status: "failed", error: { code: "server_error", message: "openai failed: cut" } } });
  });
});

describe("fromResponsesRequest", () => {
  it("makes one assistant turn of function calls and the text around them, and tool messages of their outputs", () => {
    const turn = fromResponsesRequest({
      model: "fast",
      input: [
        { role: "user", content: [{ type: "input_text", text: "Weather in " }, { type: "input_text", text: "Oslo?" }] },
        { type: "function_call", call_id: "c1", name: "w", arguments: '{"city":"Oslo"}' },
        { type: "function_call", call_id: "c2", name: "t", arguments: "{}" },
        { type: "message", role: "assistant", content: [{ type: "output_text", text: "Checking." }] },
        { type: "function_call_output", call_id: "c1", output: "4C" },
        { type: "reasoning", id: "rs_1", summary: [] },
        { role: "developer", content: "Be brief" },
      ],
    });
    expect(turn.input).toEqual([
      { role: "user", content: "Weather in Oslo?" },
      {
        role: "assistant",
        content: "Checking.",
        toolCalls: [
          { id: "c1", name: "w", arguments: '{"city":"Oslo"}' },
          { id: "c2", name: "t", arguments: "{}" },
        ],
      },
      { role: "tool", toolCallId: "c1", content: "4C" },
      { role: "system", content: "Be brief" },
    ]);
    expect(turn.store).toBe(true);
    expect(fromResponsesRequest({ model: "m", input: "x", store: false }).store).toBe(false);
  });

  it("keeps signed reasoning (encrypted_content) with the assistant turn after it, across turns", () => {
    const turn = fromResponsesRequest({
      model: "fast",
      input: [
        { role: "user", content: "Weather in Oslo?" },
        { type: "reasoning", id: "rs_1", summary: [], content: [{ type: "reasoning_text", text: "Use the tool." }], encrypted_content: "sig-1" },
        { type: "function_call", call_id: "c1", name: "w", arguments: "{}" },
        { type: "function_call_output", call_id: "c1", output: "4C" },
      ],
    });
    expect(turn.input[1]).toEqual({ role: "assistant", content: null, toolCalls: [{ id: "c1", name: "w", arguments: "{}" }], reasoning: "Use the tool.", reasoningSignature: "sig-1" });
  });
});

describe("reasoning signatures on the way out", () => {
  it("puts the signature on the reasoning item as encrypted_content, whole and streamed", () => {
    expect(toOutputItems(callId, { role: "assistant", content: "4C", toolCalls: [], reasoning: "Think.", reasoningSignature: "sig-2" })[0]).toMatchObject({ type: "reasoning", encrypted_content: "sig-2" });
    expect(toOutputItems(callId, { role: "assistant", content: "4C", toolCalls: [], reasoning: "Think." })[0]).not.toHaveProperty("encrypted_content");
    const stream = createResponsesEventStream(frame());
    const events = [...stream.start(), ...stream.delta(delta({ reasoning: "Think." })), ...stream.delta(delta({ reasoningSignature: "sig-3" })), ...stream.delta(delta({ text: "4C" })), ...stream.done(done("stop")).events];
    const itemDone = events.find((e) => e.type === "response.output_item.done" && (e.item as { type: string }).type === "reasoning");
    expect(itemDone?.item).toMatchObject({ encrypted_content: "sig-3", status: "completed" });
  });
});
