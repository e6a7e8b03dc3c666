import { createHash } from "node:crypto";

/** One prefix of a prompt: what it holds (hashed, tools and system first, then each message in turn) and its estimated tokens. */
export interface PromptPrefix {
  key: string;
  tokens: number;
}

/** What a provider's prompt cache did for one request, in prompt tokens. */
export interface CacheUse {
  read: number;
  write: number;
}

export interface PromptCache {
  /** Reads the longest prefix seen before and writes the rest of the prompt when it is long enough. */
  use(model: string, prefixes: readonly PromptPrefix[]): CacheUse;
}

/** Providers cache prompts of at least 1,024 tokens (OpenAI, Anthropic's larger models). */
export const MIN_CACHED_PROMPT_TOKENS = 1024;
const MAX_ENTRIES = 10_000;

/**
 * A stand-in for a provider's prefix cache, so that a repeated or long prompt reports cache
 * tokens the way real providers do: the longest prefix of at least MIN_CACHED_PROMPT_TOKENS seen
 * before (same model) is read, and a prompt that long whose whole is new is written (what
 * Anthropic and Bedrock report as cache creation). Entries are forgotten oldest first.
 */
export function createPromptCache(minTokens = MIN_CACHED_PROMPT_TOKENS, maxEntries = MAX_ENTRIES): PromptCache {
  const seen = new Set<string>();
  return {
    use(model, prefixes) {
      let read = 0;
      for (const prefix of prefixes) if (prefix.tokens >= minTokens && seen.has(`${model}\n${prefix.key}`)) read = Math.max(read, prefix.tokens);
      const whole = prefixes[prefixes.length - 1];
      if (whole === undefined || whole.tokens < minTokens) return { read, write: 0 };
      for (const prefix of prefixes) {
        if (prefix.tokens < minTokens) continue;
        const key = `${model}\n${prefix.key}`;
        seen.delete(key);
        seen.add(key);
      }
      while (seen.size > maxEntries) seen.delete(seen.values().next().value as string);
      return { read, write: whole.tokens - read };
    },
  };
}

/** Chains a prefix key: the hash of the previous key and the next piece of the prompt. */
export const nextPrefixKey = (previous: string, piece: unknown): string =>
  createHash("sha1").update(previous).update("\0").update(JSON.stringify(piece) ?? "").digest("hex");
