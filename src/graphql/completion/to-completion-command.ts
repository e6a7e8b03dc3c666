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
    routing: toRoutingOptions(input.routing),
    signal: context.signal,
  };
}

/** The routing options given, each set only when present (filled in place rather than spread from an object per option). */
function toRoutingOptions(routing: CompletionInput["routing"]): CompletionCommand["routing"] {
  const options: NonNullable<CompletionCommand["routing"]> = {};
  if (!routing) return options;
  if (routing.strategy) options.strategy = routing.strategy;
  if (routing.fallbacks) options.fallbacks = routing.fallbacks;
  if (routing.maxCostUsd != null) options.maxCostUsd = routing.maxCostUsd;
  if (routing.threshold != null) options.threshold = routing.threshold;
  return options;
}
