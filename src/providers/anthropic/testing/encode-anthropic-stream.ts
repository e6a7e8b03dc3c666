/** A content block of a non-streamed Anthropic answer, as the fake servers build them. */
export type AnthropicContentBlock =
  | { type: "text"; text: string }
  | { type: "tool_use"; id: string; name: string; input: Record<string, unknown> };

/** The parts of a Messages body that a stream spreads over its events. */
export interface AnthropicMessageBody {
  id: string;
  model: string;
  content: AnthropicContentBlock[];
  stop_reason: string;
  usage: {
    input_tokens: number;
    output_tokens: number;
    cache_creation_input_tokens: number;
    cache_read_input_tokens: number;
  };
}

const event = (name: string, data: Record<string, unknown>): string =>
  `event: ${name}\ndata: ${JSON.stringify({ type: name, ...data })}\n\n`;

/** Cuts a string in two by code points, so both halves stay valid text. */
const halves = (text: string): [string, string] => {
  const points = Array.from(text);
  const middle = Math.ceil(points.length / 2);
  return [points.slice(0, middle).join(""), points.slice(middle).join("")];
};

/**
 * The SSE bytes Anthropic would send for `message` (WIRE §3.4): `message_start`, each block as
 * start / deltas / stop (text in two pieces, tool input as `""` then two JSON pieces), a `ping`,
 * `message_delta` with the stop reason and the final output count, and `message_stop`.
 */
export function encodeAnthropicStream(message: AnthropicMessageBody): string {
  const { usage } = message;
  let out = event("message_start", {
    message: {
      id: message.id,
      type: "message",
      role: "assistant",
      content: [],
      model: message.model,
      stop_reason: null,
      stop_sequence: null,
      usage: {
        input_tokens: usage.input_tokens,
        cache_creation_input_tokens: usage.cache_creation_input_tokens,
        cache_read_input_tokens: usage.cache_read_input_tokens,
        output_tokens: 1,
      },
    },
  });
  message.content.forEach((block, index) => {
    if (block.type === "text") {
      out += event("content_block_start", { index, content_block: { type: "text", text: "" } });
      if (index === 0) out += event("ping", {});
      for (const piece of halves(block.text)) {
        if (piece !== "") out += event("content_block_delta", { index, delta: { type: "text_delta", text: piece } });
      }
    } else {
      out += event("content_block_start", {
        index,
        content_block: { type: "tool_use", id: block.id, name: block.name, input: {} },
      });
      if (index === 0) out += event("ping", {});
      for (const piece of ["", ...halves(JSON.stringify(block.input))]) {
        out += event("content_block_delta", { index, delta: { type: "input_json_delta", partial_json: piece } });
      }
    }
    out += event("content_block_stop", { index });
  });
  out += event("message_delta", {
    delta: { stop_reason: message.stop_reason, stop_sequence: null },
    usage: { output_tokens: usage.output_tokens },
  });
  out += event("message_stop", {});
  return out;
}
