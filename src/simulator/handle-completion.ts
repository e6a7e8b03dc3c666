import { constants, type Http2Stream } from "node:http2";
import type { ServerResponse } from "node:http";
import { drawFailure } from "./draw-failure.js";
import { planCompletion } from "./plan-completion.js";
import type { PromptCache } from "./prompt-cache.js";
import type { RateLimits, RateLimitWindow } from "./rate-limit-window.js";
import { createSeededRandom, hashSeed, randomString } from "./seeded-random.js";
import { sendCompletion } from "./send-completion.js";
import type { StreamGate } from "./stream-gate.js";
import { sendJson } from "./send-json.js";
import type { SimulatorProfile } from "./simulator-profile.js";
import type { RenderContext, ResponseContext, WireFormat, WireResponse, WireRoute } from "./wire/wire-format.js";

export interface CompletionContext {
  res: ServerResponse;
  wire: WireFormat;
  route: WireRoute;
  bodyText: string;
  profileName: string;
  profile: SimulatorProfile;
  /** Per-profile counter: part of the seed, so repeated prompts get different answers. */
  requestNumber: number;
  seed: number;
  nowMs: number;
  rateLimit: RateLimitWindow;
  promptCache?: PromptCache;
  /** Where streams of a `holdAfterFirstToken` profile wait. */
  gate?: StreamGate;
  /** Stores the parsed body (or the raw text when it does not parse) for tests. */
  record(body: unknown): void;
}

const DEFAULT_LIMITS: RateLimits = { requests: 10_000, tokens: 1_000_000 };
const HEX = "0123456789abcdef";

/**
 * Validates, draws this request's fate, plans the answer and sends it in the route's wire
 * format. The random stream is consumed in the same order for every format, so one seed gives
 * the same words whichever format asks.
 */
export function handleCompletion(context: CompletionContext): void {
  const { res, wire, route, bodyText, profileName, profile, requestNumber, seed, nowMs, rateLimit, record, promptCache } = context;
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    record(bodyText);
    sendError(res, wire.invalidJson());
    return;
  }
  record(body);
  const parsed = wire.parse(body, route);
  if (!parsed.ok) {
    sendError(res, parsed.error);
    return;
  }
  const request = parsed.request;
  const random = createSeededRandom(hashSeed(seed, profileName, requestNumber, request.lastUserText));
  const failure = drawFailure(profile.failures, random());
  const requestHex = randomString(random, 32, HEX);
  const responseContext: ResponseContext = {
    route,
    model: profile.model ?? request.model,
    requestHex,
    profile,
    limits: profile.rateLimit ?? DEFAULT_LIMITS,
    window: rateLimit,
  };

  switch (failure) {
    case "rateLimit":
    case "serverError":
    case "unavailable":
      sendError(res, wire.failure(failure, responseContext));
      return;
    case "midStreamError":
      if (!request.stream) {
        sendError(res, wire.failure("serverError", responseContext));
        return;
      }
      break;
    case "hang":
      // Deliberately no answer: the socket stays open until the client or close() ends it.
      return;
    case "reset":
      // Over HTTP/2 (the simulator's h2c mode) the stream is reset, not the connection it shares.
      if ("stream" in res) (res as unknown as { stream: Http2Stream }).stream.close(constants.NGHTTP2_INTERNAL_ERROR);
      else res.socket?.resetAndDestroy();
      return;
    default:
      break;
  }

  const plan = planCompletion({ request, profile, random, nowMs, ...(promptCache ? { promptCache } : {}) });
  const tokensPerSecond = profile.tokensPerSecond ?? 0;
  const renderContext: RenderContext = {
    request,
    route,
    requestHex,
    lineEnding: profile.lineEnding ?? "\n",
    keepAlive: profile.keepAliveComments === true,
    nowMs,
    firstTokenMs: profile.firstTokenMs ?? 0,
    generationMs: tokensPerSecond > 0 ? (plan.usage.completionTokens * 1000) / tokensPerSecond : 0,
  };
  sendCompletion({
    res,
    wire,
    plan,
    context: renderContext,
    profile,
    headers: wire.successHeaders(responseContext, plan.usage.promptTokens + plan.usage.completionTokens),
    outcome: failure === "truncate" || failure === "garbage" || failure === "midStreamError" ? failure : "ok",
    ...(context.gate !== undefined ? { gate: context.gate } : {}),
  });
}

function sendError(res: ServerResponse, error: WireResponse): void {
  sendJson(res, error.status, error.body, error.headers);
}
