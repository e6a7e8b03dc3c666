/**
 * A deterministic stand-in for a tokenizer: ceil(chars/4) + 4 per message, plus the tools'
 * JSON at chars/4. Close enough to real counts for cost and budget tests, and cheap.
 */
export function estimatePromptTokens(messages: readonly unknown[], tools: unknown): number {
  let total = 0;
  for (const message of messages) {
    total += Math.ceil(messageChars(message) / 4) + 4;
  }
  if (Array.isArray(tools) && tools.length > 0) total += Math.ceil(JSON.stringify(tools).length / 4);
  return total;
}

function messageChars(message: unknown): number {
  if (typeof message !== "object" || message === null) return 0;
  const { content, tool_calls: toolCalls } = message as { content?: unknown; tool_calls?: unknown };
  let chars = 0;
  if (typeof content === "string") chars += content.length;
  else if (Array.isArray(content)) {
    for (const part of content) {
      const text = (part as { text?: unknown } | null)?.text;
      // Non-text parts (images, audio) count by their JSON size: crude, but stable.
      chars += typeof text === "string" ? text.length : JSON.stringify(part).length;
    }
  }
  if (toolCalls !== undefined && toolCalls !== null) chars += JSON.stringify(toolCalls).length;
  return chars;
}
