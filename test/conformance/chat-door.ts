/** `/v1/chat/completions` through the official `openai` SDK. */
import OpenAI from "openai";
import { callIdOf, DoorRefusal, WEATHER_TOOL, type DoorClient, type Question } from "./door-client.js";

type Message = OpenAI.Chat.Completions.ChatCompletionMessageParam;

function messagesOf(question: Question): Message[] {
  const messages: Message[] = [];
  if (question.system) {
    const part = { type: "text", text: question.system.text, ...(question.system.cacheBreakpoint ? { cache_control: { type: "ephemeral" } } : {}) };
    messages.push({ role: "system", content: [part as OpenAI.Chat.Completions.ChatCompletionContentPartText] });
  }
  messages.push({
    role: "user",
    content: question.user.map((part) => ("text" in part ? { type: "text" as const, text: part.text } : { type: "image_url" as const, image_url: { url: part.imageUrl } })),
  });
  if (question.toolResult) {
    const { call, result } = question.toolResult;
    messages.push({ role: "assistant", content: null, tool_calls: [{ id: call.id, type: "function", function: { name: call.name, arguments: call.arguments } }] });
    messages.push({ role: "tool", tool_call_id: call.id, content: result });
  }
  return messages;
}

const paramsOf = (question: Question) => ({
  model: question.model,
  messages: messagesOf(question),
  ...(question.tools ? { tools: [{ type: "function" as const, function: { ...WEATHER_TOOL } }] } : {}),
  ...(question.reasoning ? { reasoning_effort: "high" as const } : {}),
});

/** The gateway's own message, without the SDK's status prefix. */
const refused = (error: unknown) =>
  error instanceof OpenAI.BadRequestError ? new DoorRefusal(String((error.error as { message?: unknown } | undefined)?.message ?? error.message)) : error;

export function chatDoor(client: OpenAI): DoorClient {
  return {
    async ask(question) {
      const answer = await client.chat.completions.create(paramsOf(question)).catch((error: unknown) => {
        throw refused(error);
      });
      const message = answer.choices[0]!.message as OpenAI.Chat.Completions.ChatCompletionMessage & { reasoning_content?: string };
      const details = answer.usage?.prompt_tokens_details as { cached_tokens?: number; cache_write_tokens?: number } | undefined;
      return {
        callId: callIdOf(answer.id),
        text: message.content ?? "",
        ...(message.reasoning_content !== undefined ? { reasoning: message.reasoning_content } : {}),
        toolCalls: (message.tool_calls ?? []).flatMap((c) => (c.type === "function" ? [{ id: c.id, name: c.function.name, arguments: c.function.arguments }] : [])),
        usage: { ...(details?.cached_tokens !== undefined ? { cached: details.cached_tokens } : {}), cacheWrite: details?.cache_write_tokens ?? 0 },
      };
    },
    async stream(question) {
      const stream = await client.chat.completions.create({ ...paramsOf(question), stream: true }).catch((error: unknown) => {
        throw refused(error);
      });
      const deltas: string[] = [];
      let reasoning: string | undefined;
      let ended = false;
      for await (const chunk of stream) {
        const choice = chunk.choices[0];
        const delta = choice?.delta as { content?: string | null; reasoning_content?: string } | undefined;
        if (delta?.content) deltas.push(delta.content);
        if (delta?.reasoning_content) reasoning = (reasoning ?? "") + delta.reasoning_content;
        if (choice?.finish_reason) ended = true;
      }
      return { deltas, ended, ...(reasoning !== undefined ? { reasoning } : {}) };
    },
  };
}
