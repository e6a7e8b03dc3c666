/** The unified, OpenAI-shaped request every transport maps into and every adapter maps out of. */
import type { CacheControl, MessageContent } from "./content-part.js";
import type { ReasoningSettings } from "./reasoning.js";

export type Role = "system" | "user" | "assistant" | "tool";

export interface ToolCall {
  id: string;
  name: string;
  /** JSON-encoded arguments, exactly as OpenAI carries them (a string, never an object). */
  arguments: string;
}

export interface ChatMessage {
  role: Role;
  /** Text, or parts (text, images, cache breakpoints); `contentText` reads the text of either. */
  content: MessageContent;
  /** Assistant turns that called tools. */
  toolCalls?: ToolCall[];
  /** Assistant turns: the reasoning of an earlier answer and its signature, sent back to Anthropic as a thinking block and to Bedrock as a reasoningContent block. */
  reasoning?: string;
  reasoningSignature?: string;
  /** Tool turns: the call this message answers. */
  toolCallId?: string;
  name?: string;
}

export interface ToolDefinition {
  name: string;
  description?: string;
  /** A JSON Schema object. */
  parameters?: Record<string, unknown>;
  /** A prompt-cache breakpoint after this tool's definition (Anthropic). */
  cacheControl?: CacheControl;
}

export type ToolChoice = "auto" | "none" | "required" | { name: string };

export type ResponseFormat =
  | { type: "text" }
  | { type: "json_object" }
  | { type: "json_schema"; name: string; schema: Record<string, unknown>; strict?: boolean };

export interface ChatRequest {
  /** What the client asked for: a model group or an alias. Adapters receive the provider model here. */
  model: string;
  messages: ChatMessage[];
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  stop?: string[];
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  responseFormat?: ResponseFormat;
  /** How many choices to generate (OpenAI's `n`); absent = 1. Only deployments whose adapter has `multipleChoices` serve more. */
  n?: number;
  /** Reasoning effort or budget, mapped per provider (OpenAI `reasoning_effort`, Anthropic `thinking`, Gemini `thinkingConfig`). */
  reasoning?: ReasoningSettings;
  /** End-user id, kept with the call. */
  user?: string;
  /** Provider-only settings, keyed by provider name, passed through untouched. */
  providerOptions?: Record<string, Record<string, unknown>>;
}
