import { Buffer } from "node:buffer";
import { countTokens } from "gpt-tokenizer";
import { contentText, type ChatRequest } from "../core/index.js";

const PER_MESSAGE = 4;
const PER_REQUEST = 3;

/** Text a prompt sends, as the tokenizer sees it. */
function promptTexts(request: Pick<ChatRequest, "messages" | "tools">): string[] {
  const texts: string[] = [];
  for (const message of request.messages) {
    const text = contentText(message.content);
    if (text) texts.push(text);
    for (const call of message.toolCalls ?? []) texts.push(call.name, call.arguments);
  }
  if (request.tools) texts.push(JSON.stringify(request.tools));
  return texts;
}

/**
 * A bound no byte-level BPE tokenizer can exceed (every token covers at least one UTF-8 byte),
 * computed without tokenizing: when it fits a context window, the prompt fits for sure.
 */
export function promptTokenBound(request: Pick<ChatRequest, "messages" | "tools">): number {
  let bytes = 0;
  for (const text of promptTexts(request)) bytes += Buffer.byteLength(text, "utf8");
  return bytes + PER_REQUEST + PER_MESSAGE * request.messages.length;
}

/** Exact count with the o200k tokenizer (OpenAI's; a close estimate for other providers). Costly: call only when the bound does not settle it. */
export function countPromptTokens(request: Pick<ChatRequest, "messages" | "tools">): number {
  let tokens = PER_REQUEST + PER_MESSAGE * request.messages.length;
  for (const text of promptTexts(request)) tokens += countTokens(text);
  return tokens;
}
