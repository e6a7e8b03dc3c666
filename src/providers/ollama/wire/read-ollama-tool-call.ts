import { ProviderError, type ToolCall } from "../../../core/index.js";

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * One entry of Ollama's `message.tool_calls` as a ToolCall. Ollama sends whole calls with the
 * arguments as an object; older versions send no id, so the call's position in the answer
 * gives one (`call_<index>`), the same for the streamed and the non-streamed answer.
 */
export function readOllamaToolCall(value: unknown, index: number, provider: string): ToolCall {
  const fn = isObject(value) ? value.function : undefined;
  if (!isObject(fn) || typeof fn.name !== "string" || fn.name === "") {
    throw new ProviderError({ kind: "invalid_response", provider, message: `tool call ${index} has no function name` });
  }
  const id = isObject(value) && typeof value.id === "string" && value.id !== "" ? value.id : `call_${index}`;
  const args = fn.arguments;
  return {
    id,
    name: fn.name,
    arguments: typeof args === "string" ? args : args === undefined || args === null ? "{}" : JSON.stringify(args),
  };
}
