/**
 * Words the simulator answers with. A few are multi-byte in UTF-8 (2, 3 and 4 bytes) so that
 * clients splitting a byte stream mid-character get caught.
 */
export const WORDS: readonly string[] = [
  "the", "gateway", "routes", "every", "request", "to", "a", "healthy", "deployment", "and",
  "records", "its", "cost", "while", "tokens", "stream", "back", "quickly", "budget", "limit",
  "retry", "after", "failover", "model", "answer", "short", "clear", "simple", "signal", "window",
  "café", "naïve", "über", "façade", "日本", "東京", "🚀", "✨", "data", "value",
];
