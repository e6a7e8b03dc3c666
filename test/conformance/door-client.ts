/**
 * One door as the conformance checks use it: a question in door-neutral terms goes out through the
 * door's own client (the official SDK, or GraphQL), and its answer comes back door-neutral.
 */

export type Part = { text: string } | { imageUrl: string };

export interface ToolCallSeen {
  id: string;
  name: string;
  arguments: string;
}

export interface Question {
  /** The model group. */
  model: string;
  /** A system prompt; `cacheBreakpoint` marks it cacheable in the door's own way, where the door has one. */
  system?: { text: string; cacheBreakpoint?: boolean };
  user: Part[];
  /** Offer the get_weather tool. */
  tools?: boolean;
  /** Ask for reasoning in the door's own way (an effort of "high", or a thinking budget). */
  reasoning?: boolean;
  /** The tool call answered and its result: the follow-up turn of a tool round trip. */
  toolResult?: { call: ToolCallSeen; result: string };
}

export interface DoorUsage {
  /** Cache-read tokens, as the door reports them (undefined when the door has no field for them). */
  cached?: number;
  cacheWrite?: number;
}

export interface DoorAnswer {
  /** The call's id in the call log. */
  callId: string;
  text: string;
  reasoning?: string;
  toolCalls: ToolCallSeen[];
  usage: DoorUsage;
}

export interface DoorStream {
  /** Answer text as it arrived, one entry per chunk that carried some. */
  deltas: string[];
  /** The reasoning text that arrived, joined; undefined when none did. */
  reasoning?: string;
  /** The door's own end of a stream arrived (finish reason, `response.completed`, `message_stop`, `done`). */
  ended: boolean;
}

/** A typed refusal from the gateway (HTTP 400 / GraphQL BAD_USER_INPUT). */
export class DoorRefusal extends Error {}

export interface DoorClient {
  ask(question: Question): Promise<DoorAnswer>;
  stream(question: Question): Promise<DoorStream>;
}

export const WEATHER_TOOL = {
  name: "get_weather",
  description: "Weather for a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
} as const;

/** A call id from a door's answer id: `chatcmpl-…`, `resp_…`, `msg_…` or the bare id. */
export function callIdOf(answerId: string): string {
  const hex = answerId.replace(/^(?:chatcmpl-|resp_|msg_)/, "").replaceAll("-", "");
  return hex.replace(/^(\w{8})(\w{4})(\w{4})(\w{4})(\w{12})$/, "$1-$2-$3-$4-$5");
}

/** The first line of an error, short enough for a table cell. */
export const firstLine = (error: unknown): string => {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0]!.trim();
};
