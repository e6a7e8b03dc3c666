import { ProviderError, emptyUsage, type ChatEvent, type ChatRequest, type ChatResponse, type ProviderErrorKind } from "../../core/index.js";
import type { ProviderAdapter, ProviderCallOptions } from "../../providers/spec.js";

/** One scripted answer: an error of a kind, a text answer, or stream events (optionally failing after some). */
export type ScriptStep =
  | { fail: ProviderErrorKind; retryAfterMs?: number; message?: string }
  | { text: string }
  | { events: ChatEvent[]; failAfter?: ProviderErrorKind }
  /** Never answers; rejects as cancelled when the call's signal aborts. */
  | { hang: true };

export interface ScriptedAdapter extends ProviderAdapter {
  calls: Array<{ request: ChatRequest; options?: ProviderCallOptions }>;
  /** Indexes of calls that were aborted while hanging. */
  aborted: number[];
}

/** A fake adapter that answers from a script, one step a call; the last step repeats. */
export function scriptedAdapter(provider: string, script: ScriptStep[]): ScriptedAdapter {
  const calls: ScriptedAdapter["calls"] = [];
  const aborted: number[] = [];
  const next = () => script[Math.min(calls.length - 1, script.length - 1)]!;
  const error = (kind: ProviderErrorKind, retryAfterMs?: number, message?: string) =>
    new ProviderError({ kind, provider, message: message ?? `scripted ${kind}`, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
  const hang = (signal?: AbortSignal) =>
    new Promise<never>((_, reject) => {
      const index = calls.length - 1;
      signal?.addEventListener("abort", () => {
        aborted.push(index);
        reject(error("cancelled"));
      }, { once: true });
    });
  return {
    provider,
    calls,
    aborted,
    async chat(request, options) {
      calls.push({ request, options });
      const step = next();
      if ("hang" in step) return hang(options?.signal);
      if ("fail" in step) throw error(step.fail, step.retryAfterMs, step.message);
      const text = "text" in step ? step.text : "";
      const response: ChatResponse = {
        id: `resp-${calls.length}`,
        model: request.model,
        message: { role: "assistant", content: text, toolCalls: [] },
        finish: { unified: "stop", raw: "stop" },
        usage: { ...emptyUsage(), inputTokens: 10, outputTokens: text.split(" ").length },
      };
      return { response };
    },
    async stream(request, options) {
      calls.push({ request, options });
      const step = next();
      if ("hang" in step) return hang(options?.signal);
      if ("fail" in step) throw error(step.fail, step.retryAfterMs, step.message);
      const events: ChatEvent[] =
        "events" in step
          ? step.events
          : [
              { type: "text-delta", text: step.text },
              { type: "finish", finish: { unified: "stop", raw: "stop" }, usage: { ...emptyUsage(), inputTokens: 10, outputTokens: 1 }, model: request.model, id: "x" },
            ];
      const failAfter = "events" in step ? step.failAfter : undefined;
      const signal = options?.signal;
      return {
        events: (async function* () {
          for (const event of events) {
            if (signal?.aborted) throw error("cancelled");
            await new Promise((resolve) => setImmediate(resolve));
            yield event;
          }
          if (failAfter) throw error(failAfter);
        })(),
      };
    },
  };
}
