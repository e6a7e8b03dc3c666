/**
 * The scaffold of the codecs' round-trip tests (`<provider>/wire/*-codec.test.ts`): a recorded body or stream
 * decoded by the adapter's decoder, turned into a plan, encoded again by the simulator's encoder and compared,
 * shape against shape, with what was recorded.
 */
import type { ChatEvent, ChatResponse } from "../../../core/index.js";
import type { CompletionPlan } from "../../../simulator/plan-completion.js";
import { assembleToolCalls } from "./adapter-test-helpers.js";

/** A text as a byte stream in one piece, as a response body yields it. */
export async function* bytesOf(text: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(text, "utf8");
}

/** An encoder's events (SSE events or NDJSON lines) written out as one text. */
export const joinedText = (events: { text: string | Buffer }[]): string => events.map((event) => event.text.toString()).join("");

/** The streamed reasoning text. */
export const reasoningOf = (events: ChatEvent[]): string => events.map((event) => (event.type === "reasoning-delta" ? event.text : "")).join("");

/** Every path of object keys in a JSON value (array items merged), to compare a body's shape with a recorded one. */
function keyPaths(value: unknown, prefix = "", into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) keyPaths(item, `${prefix}[]`, into);
  else if (typeof value === "object" && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      into.add(`${prefix}.${key}`);
      keyPaths(inner, `${prefix}.${key}`, into);
    }
  }
  return into;
}

/** The key paths of the recorded value that the encoded one lacks. */
export function missingPaths(recorded: unknown, encoded: unknown): string[] {
  const have = keyPaths(encoded);
  return [...keyPaths(recorded)].filter((path) => !have.has(path));
}

/** A decoded answer as a plan, so the encoders can write it again (a plan holds at most one tool call: the first). */
export function planOf(response: ChatResponse, pieces: readonly string[], created: number): CompletionPlan {
  const { usage, message } = response;
  const base = {
    id: response.id,
    created,
    model: response.model,
    usage: { promptTokens: usage.inputTokens, completionTokens: usage.outputTokens, cachedTokens: usage.cachedInputTokens, cacheWriteTokens: 0 },
  };
  const call = message.toolCalls?.[0];
  if (call === undefined) return { ...base, kind: "text", pieces, finishReason: response.finish.unified === "length" ? "length" : "stop" };
  return { ...base, kind: "tool-call", toolCallId: call.id, name: call.name, arguments: call.arguments, argumentPieces: [call.arguments], finishReason: "tool_calls" };
}

/** What a decoded stream said, as the parts a round trip needs: its finish event, text pieces, first tool call and answer. */
export function streamedAnswer(events: ChatEvent[]): {
  finish: Extract<ChatEvent, { type: "finish" }>;
  pieces: string[];
  calls: ReturnType<typeof assembleToolCalls>;
  response: ChatResponse;
} {
  const finish = events.at(-1);
  if (finish?.type !== "finish") throw new Error("the stream has no finish event");
  const pieces = events.flatMap((event) => (event.type === "text-delta" ? [event.text] : []));
  const calls = assembleToolCalls(events).slice(0, 1);
  const response: ChatResponse = {
    id: finish.id,
    model: finish.model,
    message: { role: "assistant", content: pieces.join(""), toolCalls: calls.map((call) => ({ id: call.id ?? "", name: call.name ?? "", arguments: call.arguments })) },
    finish: finish.finish,
    usage: finish.usage!,
  };
  return { finish, pieces, calls, response };
}
