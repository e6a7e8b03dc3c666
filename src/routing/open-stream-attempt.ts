import { ProviderError, type ChatEvent, type ChatRequest } from "../core/index.js";
import type { RateLimitHeadroom } from "../providers/spec.js";
import { AttemptEventStream, type AttemptEnd, type EventBatches } from "./attempt-event-stream.js";
import { linkedAbort } from "./linked-abort.js";
import type { Deployment } from "./model-group.js";

export interface OpenStreamOptions {
  signal?: AbortSignal;
  timeoutMs: number;
  firstTokenTimeoutMs: number;
  /**
   * Called once when a stream that opened ends: at its finish event (before the event is passed
   * on, so whoever reads the finish sees the attempt finished), with an error, or cancelled.
   */
  onEnd?: (outcome: { ok: boolean; error?: ProviderError; ttftMs?: number; tokens?: number }) => void;
  now?: () => number;
}

export interface OpenedStream {
  events: EventBatches;
  rateLimit?: RateLimitHeadroom;
}

/**
 * Opens a stream and waits for its first event, so that a deployment failing before its first
 * token can be retried elsewhere without the client noticing. Past the first event, failures
 * reach the consumer. Leaving the loop early aborts the upstream request.
 */
export async function openStreamAttempt(deployment: Deployment, request: ChatRequest, options: OpenStreamOptions): Promise<OpenedStream> {
  const link = linkedAbort(options.signal);
  const now = options.now ?? (() => performance.now());
  let iterator: AsyncIterator<ChatEvent> | undefined;
  let started = now();
  let timedOut = false;
  const arm = () =>
    setTimeout(() => {
      timedOut = true;
      link.abort(new ProviderError({ kind: "timeout", provider: deployment.provider, message: `no first token within ${options.firstTokenTimeoutMs} ms` }));
    }, options.firstTokenTimeoutMs);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let reported = false;
  // An HTTP adapter says when the request waits for a pooled connection and when it is written:
  // the first-token clock stops for the wait (bounded by the attempt's whole deadline, and failing
  // as its own kind of error) and starts afresh once the provider has the request.
  const callbacks = {
    queueTimeoutMs: options.timeoutMs,
    onWaiting: () => {
      reported = true;
      clearTimeout(timer);
      timer = undefined;
    },
    onSent: () => {
      if (iterator !== undefined || timedOut) return;
      clearTimeout(timer);
      started = now();
      timer = arm();
    },
  };

  try {
    const opening = deployment.adapter.stream(request, { signal: link.signal, timeoutMs: options.firstTokenTimeoutMs, ...callbacks });
    // An HTTP adapter has usually reported its wait by now (a timer armed first would be cleared at
    // once); an adapter that reports nothing, or reports later, is timed from the start.
    if (!reported && timer === undefined) timer = arm();
    const opened = await opening;
    iterator = opened.events[Symbol.asyncIterator]();
    const first = await iterator.next();
    clearTimeout(timer);
    if (first.done) {
      throw new ProviderError({ kind: "invalid_response", provider: deployment.provider, message: "the stream ended without any event" });
    }
    const ttftMs = now() - started;
    const onEnd = options.onEnd;
    const end: AttemptEnd = (ok, error, tokens) => onEnd?.({ ok, ttftMs, ...(error ? { error } : {}), ...(tokens ? { tokens } : {}) });
    return { events: new AttemptEventStream(first.value, iterator, link, deployment.provider, end), ...(opened.rateLimit ? { rateLimit: opened.rateLimit } : {}) };
  } catch (error) {
    clearTimeout(timer);
    link.abort();
    link.dispose();
    await iterator?.return?.().catch(() => undefined);
    if (timedOut) {
      throw new ProviderError({ kind: "timeout", provider: deployment.provider, message: `no first token within ${options.firstTokenTimeoutMs} ms`, cause: error });
    }
    throw error;
  }
}
