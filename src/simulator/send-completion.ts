import type { ServerResponse } from "node:http";
import type { CompletionPlan } from "./plan-completion.js";
import type { SimulatorProfile } from "./simulator-profile.js";
import type { StreamGate } from "./stream-gate.js";
import type { RenderContext, StreamEvent, WireFormat } from "./wire/wire-format.js";
import { writeSplit } from "./write-split.js";

/** A successful answer, or one of the failures that only show once the body is under way. */
export type CompletionOutcome = "ok" | "truncate" | "garbage" | "midStreamError";

export interface SendCompletionOptions {
  res: ServerResponse;
  wire: WireFormat;
  plan: CompletionPlan;
  context: RenderContext;
  profile: SimulatorProfile;
  /** Request id, rate-limit headers, … */
  headers: Record<string, string>;
  outcome: CompletionOutcome;
  /** Where a `holdAfterFirstToken` stream waits after its first token. */
  gate?: StreamGate;
}

type Chunk = string | Buffer;

/**
 * Writes the answer. With tokensPerSecond 0 the whole body is one write (split only when
 * chunkBytes asks for it); with pacing there is one timer at a time, never one per token.
 */
export function sendCompletion(options: SendCompletionOptions): void {
  if (options.context.request.stream) sendStream(options);
  else sendWhole(options);
}

function sendWhole({ res, wire, plan, context, profile, headers, outcome }: SendCompletionOptions): void {
  const delayMs = context.firstTokenMs + context.generationMs;
  after(res, delayMs, () => {
    const body = outcome === "garbage" ? wire.garbageBody(plan) : wire.renderBody(plan, context);
    const head: Record<string, string | number> = { ...headers };
    if (wire.processingHeader !== undefined) head[wire.processingHeader] = String(Math.round(delayMs));
    head["content-type"] = wire.bodyContentType;
    head["content-length"] = Buffer.byteLength(body);
    res.writeHead(200, head);
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

function sendStream({ res, wire, plan, context, profile, headers, outcome, gate }: SendCompletionOptions): void {
  let events = wire.renderStream(plan, context);
  if (outcome === "garbage") {
    const at = Math.max(1, Math.floor(events.length / 2));
    const tick = events[at - 1]?.tick ?? 0;
    events.splice(at, 0, { text: wire.garbageEvent(context), tick });
  } else if (outcome === "truncate") {
    events = events.slice(0, truncatedLength(events));
  } else if (outcome === "midStreamError") {
    const kept = truncatedLength(events);
    const tick = events[kept - 1]?.tick ?? 0;
    events = events.slice(0, kept);
    events.push({ text: wire.errorEvent(context), tick });
  }
  const finish =
    outcome === "truncate"
      ? (data: Chunk) => sendThenDrop(res, data, profile.chunkBytes)
      : (data: Chunk) => {
          writeSplit(res, data, profile.chunkBytes);
          res.end();
        };
  const prefix = wire.streamPrefix?.(context) ?? "";
  const firstTokenMs = context.firstTokenMs;

  after(res, firstTokenMs, () => {
    const head: Record<string, string> = { ...headers };
    if (wire.processingHeader !== undefined) head[wire.processingHeader] = String(Math.round(firstTokenMs));
    head["content-type"] = wire.streamContentType(context.route);
    head["cache-control"] = "no-cache";
    res.writeHead(200, head);
    const tokensPerSecond = profile.tokensPerSecond ?? 0;
    const send = (from: number, opening: string): void => {
      const rest = from === 0 ? events : events.slice(from);
      if (tokensPerSecond > 0) pace(res, rest, tokensPerSecond, opening, profile.chunkBytes, finish);
      else finish(join(opening, rest, 0, rest.length));
    };
    if (profile.holdAfterFirstToken !== true || gate === undefined) return send(0, prefix);
    // The head and the first token now; the rest, paced from the release, once the gate opens.
    let first = 0;
    while (first < events.length - 1 && (events[first]?.tick ?? 0) === 0) first++;
    writeSplit(res, join(prefix, events, 0, first), profile.chunkBytes);
    gate.wait(res, () => send(first, ""));
  });
}

/** About half the events, never one that only a finished stream carries. */
function truncatedLength(events: readonly StreamEvent[]): number {
  let length = Math.max(1, Math.floor(events.length / 2));
  while (length > 0 && events[length - 1]?.terminal === true) length--;
  return length;
}

/** Writes what there is, then drops the connection; headers go out even when there is nothing. */
function sendThenDrop(res: ServerResponse, data: Chunk, chunkBytes: number | undefined): void {
  if (data.length === 0) {
    res.flushHeaders();
    res.socket?.end();
    return;
  }
  writeSplit(res, data, chunkBytes, () => res.socket?.destroy());
}

/** `prefix` plus events[from, to) as one write; binary formats (Bedrock) get one Buffer. */
function join(prefix: string, events: readonly StreamEvent[], from: number, to: number): Chunk {
  let text = prefix;
  let buffers: Buffer[] | undefined;
  for (let i = from; i < to; i++) {
    const chunk = events[i]?.text ?? "";
    if (typeof chunk === "string" && buffers === undefined) {
      text += chunk;
      continue;
    }
    buffers ??= text === "" ? [] : [Buffer.from(text)];
    buffers.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  }
  return buffers === undefined ? text : Buffer.concat(buffers);
}

/** Sends each event when its tick is due; events due together go out in one write. */
function pace(
  res: ServerResponse,
  events: readonly StreamEvent[],
  tokensPerSecond: number,
  prefix: string,
  chunkBytes: number | undefined,
  finish: (data: Chunk) => void,
): void {
  const startedAt = performance.now();
  let next = 0;
  let timer: NodeJS.Timeout | undefined;
  res.once("close", () => clearTimeout(timer));
  const step = (): void => {
    const dueTick = Math.floor(((performance.now() - startedAt) * tokensPerSecond) / 1000);
    const from = next;
    while (next < events.length && (events[next]?.tick ?? 0) <= dueTick) next++;
    const data = join(from === 0 ? prefix : "", events, from, next);
    const upcoming = events[next];
    if (upcoming === undefined) {
      finish(data);
      return;
    }
    if (data.length !== 0) writeSplit(res, data, chunkBytes);
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
