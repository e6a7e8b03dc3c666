import type { ServerResponse } from "node:http";
import type { CompletionPlan } from "./plan-completion.js";
import { renderCompletionBody } from "./render-completion-body.js";
import { renderStreamEvents, type StreamEvent } from "./render-stream-events.js";
import type { SimulatorProfile } from "./simulator-profile.js";
import { writeSplit } from "./write-split.js";

/** A successful answer, or one of the failures that only show once the body is under way. */
export type CompletionOutcome = "ok" | "truncate" | "garbage";

export interface SendCompletionOptions {
  res: ServerResponse;
  plan: CompletionPlan;
  stream: boolean;
  includeUsage: boolean;
  profile: SimulatorProfile;
  /** x-request-id, x-ratelimit-*, … */
  headers: Record<string, string>;
  outcome: CompletionOutcome;
}

const GARBAGE_EVENT = "data: {not json";

/**
 * Writes the answer. With tokensPerSecond 0 the whole body is one write (split only when
 * chunkBytes asks for it); with pacing there is one timer at a time, never one per token.
 */
export function sendCompletion(options: SendCompletionOptions): void {
  if (options.stream) sendStream(options);
  else sendWhole(options);
}

function sendWhole({ res, plan, profile, headers, outcome }: SendCompletionOptions): void {
  const tokensPerSecond = profile.tokensPerSecond ?? 0;
  const generationMs = tokensPerSecond > 0 ? (plan.usage.completionTokens * 1000) / tokensPerSecond : 0;
  const delayMs = (profile.firstTokenMs ?? 0) + generationMs;
  after(res, delayMs, () => {
    const body = outcome === "garbage" ? garbageBody(plan) : renderCompletionBody(plan);
    res.writeHead(200, {
      ...headers,
      "openai-processing-ms": String(Math.round(delayMs)),
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
    });
    if (outcome === "truncate") {
      const bytes = Buffer.from(body);
      writeSplit(res, bytes.subarray(0, Math.floor(bytes.length / 2)), profile.chunkBytes, () => res.socket?.destroy());
      return;
    }
    if (profile.chunkBytes === undefined) {
      res.end(body);
      return;
    }
    writeSplit(res, body, profile.chunkBytes);
    res.end();
  });
}

/** Starts like a real body, then stops being JSON. */
function garbageBody(plan: CompletionPlan): string {
  return `{"id":"${plan.id}","object":"chat.completion","choices":[{"index":0,"message":{"role":"assist<<garbage>>`;
}

function sendStream({ res, plan, includeUsage, profile, headers, outcome }: SendCompletionOptions): void {
  const lineEnding = profile.lineEnding ?? "\n";
  let events = renderStreamEvents(plan, { includeUsage, lineEnding });
  if (outcome === "garbage") {
    const at = Math.max(1, Math.floor(events.length / 2));
    const tick = events[at - 1]?.tick ?? 0;
    events.splice(at, 0, { text: `${GARBAGE_EVENT}${lineEnding}${lineEnding}`, tick });
  } else if (outcome === "truncate") {
    events = events.slice(0, Math.max(1, Math.floor(events.length / 2)));
  }
  const finish =
    outcome === "truncate"
      ? (data: string) => writeSplit(res, data, profile.chunkBytes, () => res.socket?.destroy())
      : (data: string) => {
          writeSplit(res, data, profile.chunkBytes);
          res.end();
        };
  const prefix = profile.keepAliveComments === true ? `: keep-alive${lineEnding}${lineEnding}` : "";
  const firstTokenMs = profile.firstTokenMs ?? 0;

  after(res, firstTokenMs, () => {
    res.writeHead(200, {
      ...headers,
      "openai-processing-ms": String(Math.round(firstTokenMs)),
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
    });
    const tokensPerSecond = profile.tokensPerSecond ?? 0;
    if (tokensPerSecond > 0) pace(res, events, tokensPerSecond, prefix, profile.chunkBytes, finish);
    else finish(prefix + events.map((e) => e.text).join(""));
  });
}

/** Sends each event when its tick is due; events due together go out in one write. */
function pace(
  res: ServerResponse,
  events: readonly StreamEvent[],
  tokensPerSecond: number,
  prefix: string,
  chunkBytes: number | undefined,
  finish: (data: string) => void,
): void {
  const startedAt = performance.now();
  let next = 0;
  let timer: NodeJS.Timeout | undefined;
  res.once("close", () => clearTimeout(timer));
  const step = (): void => {
    const dueTick = Math.floor(((performance.now() - startedAt) * tokensPerSecond) / 1000);
    let data = next === 0 ? prefix : "";
    while (next < events.length && (events[next]?.tick ?? 0) <= dueTick) data += events[next++]?.text ?? "";
    const upcoming = events[next];
    if (upcoming === undefined) {
      finish(data);
      return;
    }
    if (data !== "") writeSplit(res, data, chunkBytes);
    const waitMs = (upcoming.tick * 1000) / tokensPerSecond - (performance.now() - startedAt);
    timer = setTimeout(step, Math.max(1, waitMs));
  };
  step();
}

/** Runs `action` after `ms`, or never if the client goes away first. */
function after(res: ServerResponse, ms: number, action: () => void): void {
  if (ms <= 0) {
    action();
    return;
  }
  const timer = setTimeout(action, ms);
  res.once("close", () => clearTimeout(timer));
}
