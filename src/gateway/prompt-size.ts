import { Buffer } from "node:buffer";
import { createRequire } from "node:module";
import { contentText, type ChatRequest } from "../core/index.js";

type CountTokens = typeof import("gpt-tokenizer").countTokens;
let countTokens: CountTokens | undefined;

/**
 * The o200k tokenizer, loaded at its first use: its tables are a noticeable part of a start's module
 * loading, and most calls never need an exact count (the first one that does waits for the load). Not warmed
 * in the background after the start either: a synchronous load then holds up the first requests instead.
 */
function loadTokenizer(): CountTokens {
  return (countTokens ??= (createRequire(import.meta.url)("gpt-tokenizer") as typeof import("gpt-tokenizer")).countTokens);
}

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
  return promptSize(request).bound;
}

/**
 * A prompt's token estimate (about four characters a token, plus framing per message: cheap and
 * upper-leaning, for pre-call checks and for pricing a stream that ended without usage) and its bound
 * (`promptTokenBound`), from one walk over it: a call needs both, and the walk serialises the tools.
 */
export function promptSize(request: Pick<ChatRequest, "messages" | "tools">): { estimate: number; bound: number } {
  return textsSize(promptTexts(request), PER_REQUEST + PER_MESSAGE * request.messages.length);
}

/** Texts' estimate (about four characters a token) and bound (their UTF-8 bytes), each plus `framing`. */
function textsSize(texts: readonly string[], framing: number): { estimate: number; bound: number } {
  let chars = 0;
  let bytes = 0;
  for (const text of texts) {
    chars += text.length;
    bytes += Buffer.byteLength(text, "utf8");
  }
  return { estimate: framing + Math.ceil(chars / 4), bound: framing + bytes };
}

function countTexts(texts: readonly string[]): number {
  const count = loadTokenizer();
  let tokens = 0;
  for (const text of texts) tokens += count(text);
  return tokens;
}

/** Exact count with the o200k tokenizer (OpenAI's; a close estimate for other providers). Costly: call only when the bound does not settle it. */
export function countPromptTokens(request: Pick<ChatRequest, "messages" | "tools">): number {
  return PER_REQUEST + PER_MESSAGE * request.messages.length + countTexts(promptTexts(request));
}

/** An embedding input's estimate and bound, in the prompt's terms (no framing: an embedding has no messages). */
export function embeddingInputSize(input: readonly string[]): { estimate: number; bound: number } {
  return textsSize(input, 0);
}

/** An embedding input's exact count with the o200k tokenizer. Costly: call only when the bound does not settle it. */
export function countEmbeddingTokens(input: readonly string[]): number {
  return countTexts(input);
}
