import type { CompletionPlan } from "../../../simulator/plan-completion.js";
import type { RecordedRequest } from "../../http/testing/start-fake-upstream.js";

/** What every fake provider server hands back, so one conformance suite can drive them all alike. */
export interface FakeProviderServer {
  /** The value for the adapter's `settings.baseUrl`. */
  readonly baseUrl: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

export interface FakeAnswerOptions {
  /** The plain answer; default "Hello! How can I help?". */
  text?: string;
  /** Arguments of the tool call made when the request offers tools; default `{"location":"Paris"}`. */
  toolArguments?: Record<string, unknown>;
  /** Reported token counts; default 12 in, 7 out. */
  usage?: { inputTokens: number; outputTokens: number };
}

export type FakeAnswer =
  | { kind: "text"; text: string }
  | { kind: "tool"; name: string; arguments: Record<string, unknown> };

export interface FakeConversation {
  /** Role of the last message, in the provider's own words (`tool` for a tool result). */
  lastRole: string | undefined;
  lastContent: string | null;
  toolNames: string[];
}

export const DEFAULT_FAKE_TEXT = "Hello! How can I help?";
export const DEFAULT_FAKE_USAGE = { inputTokens: 12, outputTokens: 7 };

/**
 * The fakes' script: a tool result gets a text answer quoting it; a user turn with tools
 * offered gets a call to the first tool; anything else gets the plain text.
 */
export function planFakeAnswer(conversation: FakeConversation, options: FakeAnswerOptions = {}): FakeAnswer {
  const [firstTool] = conversation.toolNames;
  if (conversation.lastRole === "tool") return { kind: "text", text: `The tool said: ${conversation.lastContent ?? ""}` };
  if (conversation.lastRole === "user" && firstTool !== undefined) {
    return { kind: "tool", name: firstTool, arguments: options.toolArguments ?? { location: "Paris" } };
  }
  return { kind: "text", text: options.text ?? DEFAULT_FAKE_TEXT };
}

/** Text cut into a few pieces, as a model streams it. */
export function splitIntoPieces(text: string): string[] {
  const pieces = text.match(/\S+\s*|\s+/g);
  return pieces ?? [text];
}

/** The script's answer as the codecs' response encoders take it; the arguments stream in two halves. */
export function fakeAnswerPlan(
  answer: FakeAnswer,
  context: { id: string; model: string; created: number; usage: { inputTokens: number; outputTokens: number } },
): CompletionPlan {
  const { id, model, created } = context;
  const usage = { promptTokens: context.usage.inputTokens, completionTokens: context.usage.outputTokens, cachedTokens: 0, cacheWriteTokens: 0 };
  if (answer.kind === "text") return { kind: "text", id, created, model, usage, pieces: splitIntoPieces(answer.text), finishReason: "stop" };
  const args = JSON.stringify(answer.arguments);
  const half = Math.floor(args.length / 2);
  return {
    kind: "tool-call",
    id,
    created,
    model,
    usage,
    toolCallId: "call_fake_1",
    name: answer.name,
    arguments: args,
    argumentPieces: [args.slice(0, half), args.slice(half)],
    finishReason: "tool_calls",
  };
}

/** The last message's text content, for an answer quoting a tool result. */
export function lastMessageContent(body: unknown): string | null {
  const messages = typeof body === "object" && body !== null ? (body as { messages?: unknown }).messages : undefined;
  const last: unknown = Array.isArray(messages) ? messages.at(-1) : undefined;
  const content = typeof last === "object" && last !== null ? (last as { content?: unknown }).content : undefined;
  return typeof content === "string" ? content : null;
}
