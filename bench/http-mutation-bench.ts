import autocannon from "autocannon";
import { summarizeLatencies, type LatencySummary } from "./latency-stats.js";

export interface HttpLoadOptions {
  url: string;
  path: string;
  body: string;
  connections: number;
  seconds: number;
  /** Stop after this many requests instead of after `seconds` (autocannon's `amount`). */
  requests?: number;
  /** True when a 2xx response's body is a real answer (no GraphQL `errors`, content present). */
  isSuccess(body: string): boolean;
}

export interface HttpLoadResult {
  connections: number;
  seconds: number;
  /** Requests written to the wire, including those still in flight when the run stopped. */
  sent: number;
  responses: number;
  ok: number;
  non2xx: number;
  /** 2xx responses that failed `isSuccess` (GraphQL errors, missing content). */
  badBodies: number;
  connectionErrors: number;
  timeouts: number;
  /** Successful responses per second. */
  requestsPerSecond: number;
  /** Of successful requests, from autocannon's own per-request hrtime (full precision). */
  latencyMs: LatencySummary;
  /** autocannon's histogram figures (whole milliseconds), as a cross-check. */
  autocannonLatencyMs: { p50: number; p90: number; p99: number };
  firstFailure?: string;
}

/**
 * A closed loop of `connections` keep-alive connections for `seconds`, by autocannon. Latencies are
 * taken from its "response" event (process.hrtime from write to last byte) rather than its
 * histogram, which only holds whole milliseconds.
 */
export function runHttpLoad(options: HttpLoadOptions): Promise<HttpLoadResult> {
  const samples: number[] = [];
  let verdict = false;
  let responses = 0;
  let ok = 0;
  let non2xx = 0;
  let badBodies = 0;
  let firstFailure: string | undefined;
  const onResponse = (status: number, body: string): void => {
    verdict = status >= 200 && status < 300 && options.isSuccess(body);
    if (!verdict) firstFailure ??= `HTTP ${status}: ${body.slice(0, 300)}`;
  };
  const started = process.hrtime.bigint();
  return new Promise<HttpLoadResult>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.seconds,
        ...(options.requests !== undefined ? { amount: options.requests } : {}),
        timeout: 30,
        requests: [{ method: "POST", path: options.path, headers: { "content-type": "application/json" }, body: options.body, onResponse }],
      },
      (error, result) => {
        if (error) return reject(error);
        const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
        resolve({
          connections: options.connections,
          seconds: elapsed,
          sent: result.requests.sent,
          responses,
          ok,
          non2xx,
          badBodies,
          connectionErrors: result.errors - result.timeouts,
          timeouts: result.timeouts,
          requestsPerSecond: ok / elapsed,
          latencyMs: summarizeLatencies(samples),
          autocannonLatencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99 },
          ...(firstFailure !== undefined ? { firstFailure } : {}),
        });
      },
    );
    // autocannon calls a request's onResponse and then emits "response" for the same reply, synchronously.
    instance.on("response", (_client: unknown, status: number, _bytes: number, responseTime: number) => {
      responses++;
      if (verdict) {
        ok++;
        samples.push(responseTime);
      } else if (status < 200 || status >= 300) non2xx++;
      else badBodies++;
    });
  });
}

const PROMPT = "Say hello to the benchmark";

/** The OpenAI chat-completions body the gateway sends upstream for the mutation below. */
export const OPENAI_CHAT_BODY = JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: PROMPT }] });

export const COMPLETE_MUTATION_BODY = JSON.stringify({
  query: `mutation Bench($input: CompletionInput!) { complete(input: $input) { id message { content } usage { promptTokens completionTokens totalTokens } costUsd } }`,
  variables: { input: { model: "bench", messages: [{ role: "USER", content: PROMPT }] } },
});

export function isChatCompletion(body: string): boolean {
  const parsed = parseJson(body) as { choices?: Array<{ message?: { content?: unknown } }> } | undefined;
  return typeof parsed?.choices?.[0]?.message?.content === "string";
}

export function isCompleteResult(body: string): boolean {
  const parsed = parseJson(body) as { data?: { complete?: { id?: unknown; message?: { content?: unknown } } }; errors?: unknown } | undefined;
  return parsed !== undefined && parsed.errors === undefined && typeof parsed.data?.complete?.id === "string" && typeof parsed.data.complete.message?.content === "string";
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
