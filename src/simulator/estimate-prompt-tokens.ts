import { nextPrefixKey, type PromptPrefix } from "./prompt-cache.js";

/**
 * A deterministic stand-in for a tokenizer: ceil(chars/4) + 4 per message, plus the tools'
 * JSON at chars/4. Close enough to real counts for cost and budget tests, and cheap.
 * A top-level system prompt (Anthropic, Gemini, Bedrock) counts as one more message, so the
 * same conversation costs the same in every wire format.
 */
export function estimatePromptTokens(messages: readonly unknown[], tools: unknown, system?: unknown): number {
  return estimatePrompt(messages, tools, system).promptTokens;
}

/**
 * The estimate, and the prompt's prefixes for the prompt cache: tools and system first (as the
 * providers cache them), then one prefix per message, each with its tokens so far.
 */
export function estimatePrompt(messages: readonly unknown[], tools: unknown, system?: unknown): { promptTokens: number; promptPrefixes: PromptPrefix[] } {
  let total = 0;
  if (Array.isArray(tools) && tools.length > 0) total += Math.ceil(JSON.stringify(tools).length / 4);
  if (system !== undefined && system !== null) total += Math.ceil(partsChars(system) / 4) + 4;
  let key = nextPrefixKey("", [tools ?? null, system ?? null]);
  const promptPrefixes: PromptPrefix[] = total > 0 ? [{ key, tokens: total }] : [];
  for (const message of messages) {
    total += Math.ceil(messageChars(message) / 4) + 4;
    key = nextPrefixKey(key, message);
    promptPrefixes.push({ key, tokens: total });
  }
  return { promptTokens: total, promptPrefixes };
}

/** `content` (OpenAI, Anthropic, Bedrock, Ollama) or `parts` (Gemini), plus OpenAI/Ollama tool calls. */
function messageChars(message: unknown): number {
  if (typeof message !== "object" || message === null) return 0;
  const { content, parts, tool_calls: toolCalls } = message as { content?: unknown; parts?: unknown; tool_calls?: unknown };
  let chars = partsChars(content) + partsChars(parts);
  if (toolCalls !== undefined && toolCalls !== null) chars += JSON.stringify(toolCalls).length;
  return chars;
}

/** A string, an array of parts, or (Gemini's systemInstruction) an object holding `parts`. */
function partsChars(content: unknown): number {
  if (typeof content === "string") return content.length;
  if (Array.isArray(content)) {
    let chars = 0;
    for (const part of content) {
      const text = (part as { text?: unknown } | null)?.text;
      // Non-text parts (images, audio, tool blocks) count by their JSON size: crude, but stable.
      chars += typeof text === "string" ? text.length : JSON.stringify(part).length;
    }
    return chars;
  }
  if (typeof content === "object" && content !== null) return partsChars((content as { parts?: unknown }).parts);
  return 0;
}
