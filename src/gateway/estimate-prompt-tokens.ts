import { contentText, type ChatRequest } from "../core/index.js";

/**
 * A cheap upper-leaning estimate (about four characters a token, plus framing per message),
 * for pre-call checks and for pricing a stream that ended without usage. Never on a per-token path.
 */
export function estimatePromptTokens(request: Pick<ChatRequest, "messages" | "tools">): number {
  let chars = 0;
  let tokens = 3;
  for (const message of request.messages) {
    tokens += 4;
    chars += contentText(message.content)?.length ?? 0;
    for (const call of message.toolCalls ?? []) chars += call.name.length + call.arguments.length;
  }
  if (request.tools) chars += JSON.stringify(request.tools).length;
  return tokens + Math.ceil(chars / 4);
}

export function estimateTextTokens(chars: number): number {
  return Math.ceil(chars / 4);
}
