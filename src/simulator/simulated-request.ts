import type { PromptPrefix } from "./prompt-cache.js";

/** A function tool as the simulator needs it: its name and JSON-schema parameters. */
export interface WireTool {
  name: string;
  parameters: unknown;
}

export type WireToolChoice = "none" | "auto" | "required" | { name: string };

export type WireResponseFormat = { type: "text" } | { type: "json_object" } | { type: "json_schema"; schema: unknown };

/**
 * What every wire format's request boils down to: the fields the simulator plans an answer
 * from. Each wire module fills it from its own body shape; everything else is ignored.
 */
export interface SimulatedRequest {
  /** The body's model, or the one named by the path (Gemini, Bedrock, the Azure deployment). */
  model: string;
  /** Estimated by the same rule for every format (estimatePromptTokens). */
  promptTokens: number;
  /** The prompt's prefixes, for the simulated prompt cache (estimatePrompt); absent = nothing cacheable. */
  promptPrefixes?: readonly PromptPrefix[];
  stream: boolean;
  /** OpenAI `stream_options.include_usage`; formats that always report usage leave it false. */
  includeUsage: boolean;
  maxTokens: number | undefined;
  stop: readonly string[];
  tools: readonly WireTool[];
  toolChoice: WireToolChoice;
  responseFormat: WireResponseFormat;
  /**
   * Role of the last turn. Formats that carry tool results inside a user turn (Anthropic,
   * Gemini, Bedrock) report such a turn as "tool", so a tool result gets a text answer.
   */
  lastRole: string | undefined;
  /** Text of the last user turn (text parts joined); "" when there is none. Part of the seed. */
  lastUserText: string;
  /** OpenAI `n`: how many choices to answer with (absent = 1). */
  choices?: number;
  /** The request asks for reasoning (OpenAI `reasoning_effort`, Ollama `think`); formats that do not read it leave it unset. */
  reasoning?: boolean;
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Text of a message's content: the string itself, or its text parts joined. */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  let text = "";
  for (const part of content) {
    if (isRecord(part) && typeof part.text === "string") text += part.text;
  }
  return text;
}

/** Text of the last message whose role is "user" (OpenAI-like `content`). */
export function lastUserText(messages: readonly unknown[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (isRecord(message) && message.role === "user") return contentText(message.content);
  }
  return "";
}

/** A non-negative integer limit: undefined when absent or null, "invalid" when it is anything else. */
export function readLimit(value: unknown): number | undefined | "invalid" {
  if (value === undefined || value === null) return undefined;
  return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : "invalid";
}

/** Stop strings from a string or an array; empty strings are dropped. */
export function readStop(stop: unknown): string[] {
  if (typeof stop === "string") return stop === "" ? [] : [stop];
  if (Array.isArray(stop)) return stop.filter((s): s is string => typeof s === "string" && s !== "");
  return [];
}
