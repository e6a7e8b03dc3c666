/** `/v1/messages` through the official `@anthropic-ai/sdk`. */
import Anthropic from "@anthropic-ai/sdk";
import { callIdOf, DoorRefusal, WEATHER_TOOL, type DoorClient, type Question } from "./door-client.js";

const DATA_URL = /^data:([^;,]+);base64,(.*)$/;

function imageBlock(url: string): Anthropic.ImageBlockParam {
  const data = DATA_URL.exec(url);
  return data
    ? { type: "image", source: { type: "base64", media_type: data[1] as "image/png", data: data[2]! } }
    : { type: "image", source: { type: "url", url } };
}

function paramsOf(question: Question): Anthropic.MessageCreateParamsNonStreaming {
  const messages: Anthropic.MessageParam[] = [{ role: "user", content: question.user.map((part) => ("text" in part ? { type: "text" as const, text: part.text } : imageBlock(part.imageUrl))) }];
  if (question.toolResult) {
    const { call, result } = question.toolResult;
    messages.push({ role: "assistant", content: [{ type: "tool_use", id: call.id, name: call.name, input: JSON.parse(call.arguments) as Record<string, unknown> }] });
    messages.push({ role: "user", content: [{ type: "tool_result", tool_use_id: call.id, content: result }] });
  }
  return {
    model: question.model,
    max_tokens: question.reasoning ? 4096 : 256,
    messages,
    ...(question.system
      ? { system: [{ type: "text" as const, text: question.system.text, ...(question.system.cacheBreakpoint ? { cache_control: { type: "ephemeral" as const } } : {}) }] }
      : {}),
    ...(question.tools ? { tools: [{ name: WEATHER_TOOL.name, description: WEATHER_TOOL.description, input_schema: { ...WEATHER_TOOL.parameters, required: [...WEATHER_TOOL.parameters.required] } }] } : {}),
    ...(question.reasoning ? { thinking: { type: "enabled" as const, budget_tokens: 2048 } } : {}),
  };
}

/** The gateway's own message, without the SDK's status prefix. */
const refused = (error: unknown) =>
  error instanceof Anthropic.BadRequestError
    ? new DoorRefusal(String((error.error as { error?: { message?: unknown } } | undefined)?.error?.message ?? error.message))
    : error;

export function messagesDoor(client: Anthropic): DoorClient {
  return {
    async ask(question) {
      const message = await client.messages.create(paramsOf(question)).catch((error: unknown) => {
        throw refused(error);
      });
      const thinking = message.content.flatMap((block) => (block.type === "thinking" ? [block.thinking] : []));
      return {
        callId: callIdOf(message.id),
        text: message.content.flatMap((block) => (block.type === "text" ? [block.text] : [])).join(""),
        ...(thinking.length > 0 ? { reasoning: thinking.join("") } : {}),
        toolCalls: message.content.flatMap((block) => (block.type === "tool_use" ? [{ id: block.id, name: block.name, arguments: JSON.stringify(block.input) }] : [])),
        usage: { cached: message.usage.cache_read_input_tokens ?? 0, cacheWrite: message.usage.cache_creation_input_tokens ?? 0 },
      };
    },
    async stream(question) {
      const stream = await client.messages.create({ ...paramsOf(question), stream: true }).catch((error: unknown) => {
        throw refused(error);
      });
      const deltas: string[] = [];
      let reasoning: string | undefined;
      let ended = false;
      for await (const event of stream) {
        if (event.type === "content_block_delta" && event.delta.type === "text_delta") deltas.push(event.delta.text);
        if (event.type === "content_block_delta" && event.delta.type === "thinking_delta") reasoning = (reasoning ?? "") + event.delta.thinking;
        if (event.type === "message_stop") ended = true;
      }
      return { deltas, ended, ...(reasoning !== undefined ? { reasoning } : {}) };
    },
  };
}
