import type { CompletionCommand } from "../../gateway/completion-types.js";
import type { GraphQLContext } from "../context.js";
import type { CompletionInput } from "./completion.input.js";
import { toChatRequest } from "./to-chat-request.js";

export function toCompletionCommand(input: CompletionInput, context: GraphQLContext): CompletionCommand {
  const tags = input.routing?.tags;
  const metadata = input.metadata ?? (tags?.length ? {} : null);
  return {
    request: toChatRequest(input),
    metadata: tags?.length ? { ...metadata, tags } : metadata,
    timeoutMs: input.routing?.timeoutMs ?? undefined,
    routing: {
      ...(input.routing?.strategy ? { strategy: input.routing.strategy } : {}),
      ...(input.routing?.fallbacks ? { fallbacks: input.routing.fallbacks } : {}),
      ...(input.routing?.maxCostUsd != null ? { maxCostUsd: input.routing.maxCostUsd } : {}),
      ...(input.routing?.threshold != null ? { threshold: input.routing.threshold } : {}),
    },
    signal: context.signal,
  };
}
