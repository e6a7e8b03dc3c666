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
