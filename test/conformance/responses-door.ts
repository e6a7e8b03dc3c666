/** `/v1/responses` through the official `openai` SDK. */
import OpenAI from "openai";
import { callIdOf, DoorRefusal, WEATHER_TOOL, type DoorClient, type Question } from "./door-client.js";

type Input = OpenAI.Responses.ResponseInputItem;

function paramsOf(question: Question) {
  const input: Input[] = [
    {
      role: "user",
      content: question.user.map((part) => ("text" in part ? { type: "input_text" as const, text: part.text } : { type: "input_image" as const, image_url: part.imageUrl, detail: "auto" as const })),
    },
  ];
  if (question.toolResult) {
    const { call, result } = question.toolResult;
    input.push({ type: "function_call", call_id: call.id, name: call.name, arguments: call.arguments });
    input.push({ type: "function_call_output", call_id: call.id, output: result });
  }
  // The Responses API has no cache breakpoint: `instructions` is a plain string.
  return {
    model: question.model,
    input,
    ...(question.system ? { instructions: question.system.text } : {}),
    ...(question.tools ? { tools: [{ type: "function" as const, strict: false, ...WEATHER_TOOL, parameters: { ...WEATHER_TOOL.parameters } }] } : {}),
    ...(question.reasoning ? { reasoning: { effort: "high" as const } } : {}),
  };
}

/** The gateway's own message, without the SDK's status prefix. */
const refused = (error: unknown) =>
  error instanceof OpenAI.BadRequestError ? new DoorRefusal(String((error.error as { message?: unknown } | undefined)?.message ?? error.message)) : error;

export function responsesDoor(client: OpenAI): DoorClient {
  return {
    async ask(question) {
      const response = await client.responses.create(paramsOf(question)).catch((error: unknown) => {
        throw refused(error);
      });
      const reasoning = response.output.flatMap((item) => (item.type === "reasoning" ? (item.content ?? []).map((c) => c.text) : [])).join("");
      const details = response.usage?.input_tokens_details as { cached_tokens?: number; cache_write_tokens?: number } | undefined;
      return {
        callId: callIdOf(response.id),
        text: response.output_text,
        ...(response.output.some((item) => item.type === "reasoning") ? { reasoning } : {}),
        toolCalls: response.output.flatMap((item) => (item.type === "function_call" ? [{ id: item.call_id, name: item.name, arguments: item.arguments }] : [])),
        usage: { ...(details?.cached_tokens !== undefined ? { cached: details.cached_tokens } : {}), cacheWrite: details?.cache_write_tokens ?? 0 },
      };
    },
    async stream(question) {
      const stream = await client.responses.create({ ...paramsOf(question), stream: true }).catch((error: unknown) => {
        throw refused(error);
      });
      const deltas: string[] = [];
      let reasoning: string | undefined;
      let ended = false;
      for await (const event of stream) {
        if (event.type === "response.output_text.delta") deltas.push(event.delta);
        if (event.type === "response.reasoning_text.delta") reasoning = (reasoning ?? "") + event.delta;
        if (event.type === "response.completed") ended = true;
      }
      return { deltas, ended, ...(reasoning !== undefined ? { reasoning } : {}) };
    },
  };
}
