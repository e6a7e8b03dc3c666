import type { Finish, Usage } from "./chat-response.js";

/** One part of a streamed answer. Streams are `AsyncIterable<ChatEvent>`, cancelled through an AbortSignal. */
export type ChatEvent =
  | { type: "text-delta"; text: string }
  /** Reasoning text (Anthropic `thinking_delta`), before the answer it led to. */
  | { type: "reasoning-delta"; text: string }
  /** The signature closing the reasoning (Anthropic `signature_delta`). */
  | { type: "reasoning-signature"; signature: string }
  | {
      type: "tool-call-delta";
      /** Position of the call among this answer's tool calls. */
      index: number;
      /** Present on a call's first fragment. */
      id?: string;
      name?: string;
      argumentsDelta: string;
    }
  /** Exactly one, last. `usage` is null when the provider sent none. */
  | { type: "finish"; finish: Finish; usage: Usage | null; model: string; id: string };
