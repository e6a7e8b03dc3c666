import type { ChatRequest } from "../core/index.js";
import { promptSize } from "./prompt-size.js";

/**
 * A cheap upper-leaning estimate (about four characters a token, plus framing per message),
 * for pre-call checks and for pricing a stream that ended without usage. Never on a per-token path.
 */
export function estimatePromptTokens(request: Pick<ChatRequest, "messages" | "tools">): number {
  return promptSize(request).estimate;
}

export function estimateTextTokens(chars: number): number {
  return Math.ceil(chars / 4);
}
