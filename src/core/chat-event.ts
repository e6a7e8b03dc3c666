import type { Finish, Usage } from "./chat-response.js";

/** One part of a streamed answer. Streams are `AsyncIterable<ChatEvent>`, cancelled through an AbortSignal. */
export type ChatEvent =
  /** `choice`: which of several answers (`n` > 1) the piece belongs to; absent = 0. */
  | { type: "text-delta"; text: string; choice?: number }
  /** Reasoning text (Anthropic `thinking_delta`), before the answer it led to. */
  | { type: "reasoning-delta"; text: string; choice?: number }
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
      /** As on text deltas. */
      choice?: number;
    }
  /**
   * Exactly one, last. `usage` is null when the provider sent none; it covers every choice.
   * `finish` is choice 0's; `choices` holds each choice's finish, in order, when there were several.
   */
  | { type: "finish"; finish: Finish; usage: Usage | null; model: string; id: string; choices?: Finish[] };
