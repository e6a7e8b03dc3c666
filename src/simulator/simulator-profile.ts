/**
 * How one simulated upstream behaves. A simulator serves several named profiles at once so a
 * single process can stand in for a fast deployment, a flaky one and a slow one side by side.
 */
export interface SimulatorFailures {
  /** 429 in the format's own shape with its retry hint (OpenAI: `retry-after` (s) and `retry-after-ms`). */
  rateLimit?: number;
  /** 500 in the format's own shape (OpenAI `server_error`). */
  serverError?: number;
  /** Overloaded: 503 (OpenAI "The engine is currently overloaded…"), Anthropic 529 overloaded_error. */
  unavailable?: number;
  /** Accept the request and never answer; only the client giving up (or close()) ends it. */
  hang?: number;
  /** Reset the connection before any response byte. */
  reset?: number;
  /** Send about half of the response, then drop the connection, never sending the stream's terminator. */
  truncate?: number;
  /** Stream: an event whose payload is not JSON mid-stream. Non-stream: a 200 whose body does not parse. */
  garbage?: number;
  /**
   * Stream: about half the events, then the provider's own mid-stream error (OpenAI/Azure
   * `data: {"error":…}`, Anthropic `event: error` overloaded_error, Gemini a bare `{"error":…}`,
   * Bedrock a serviceUnavailableException frame, Ollama an `{"error":…}` line) and the end of the
   * response. Non-stream: answered as `serverError`.
   */
  midStreamError?: number;
}

export interface SimulatorProfile {
  /** Delay before the response headers and first token (non-stream: before the body). Default 0. */
  firstTokenMs?: number;
  /**
   * Streams: one token per 1/tokensPerSecond after the first. Non-stream: the body waits for the
   * whole generation (firstTokenMs + tokens / tokensPerSecond). 0 or absent: everything at once.
   */
  tokensPerSecond?: number;
  /** Completion length in tokens when max_tokens does not cut it. Default 16. */
  outputTokens?: number;
  /**
   * A fixed answer instead of random words (whatever the response format asks), sent one word
   * (with its leading space) per token; `outputTokens` is then ignored. For tests and demos that
   * need a known answer: a refusal, a too-short reply, a JSON document.
   */
  reply?: string;
  /**
   * Probabilities in [0,1]. One uniform draw per request is compared against the running sum in
   * the order listed in SimulatorFailures, so the knobs are exclusive and their sum should be ≤ 1.
   */
  failures?: SimulatorFailures;
  /** Delay advertised on 429s. Default 1000. */
  retryAfterMs?: number;
  /** Values for x-ratelimit-limit-*; remaining counts down per minute window. Default 10000 / 1000000. */
  rateLimit?: { requests: number; tokens: number };
  /** Split every response write into writes of at most this many bytes (exercises client parsers). */
  chunkBytes?: number;
  /** SSE line ending (OpenAI, Azure, Anthropic, Gemini). Default "\n". */
  lineEnding?: "\n" | "\r\n";
  /**
   * OpenAI/Azure: the SSE comment `: keep-alive` before the first chunk. Anthropic: an
   * `event: ping` after message_start. Gemini, Bedrock and Ollama send none (neither do the real APIs).
   */
  keepAliveComments?: boolean;
  /** Model name reported back. Default: the request's model. */
  model?: string;
  /**
   * Fraction of prompt tokens reported as cached (`cached_tokens`, `cache_read_input_tokens`, …; floored).
   * Unset: a simulated prefix cache decides — a prompt of 1,024 tokens or more is written to it, and
   * its longest prefix seen before is read (reported by each wire format in its own fields).
   */
  cachedPromptFraction?: number;
  /**
   * Streams: send the head and the first token, then wait until the simulator's held streams are
   * released (`Simulator.releaseHeldStreams()`, SIGUSR2 to the CLI) before pacing the rest; a stream
   * begun after the release does not wait. Lets a benchmark hold N streams open at once, however
   * long opening them takes.
   */
  holdAfterFirstToken?: boolean;
}
