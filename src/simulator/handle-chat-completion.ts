import type { ServerResponse } from "node:http";
import { drawFailure } from "./draw-failure.js";
import { engineOverloaded, invalidJson, rateLimited, serverError, type SimulatorErrorResponse } from "./openai-error.js";
import { parseChatRequest } from "./parse-chat-request.js";
import { planCompletion } from "./plan-completion.js";
import type { RateLimits, RateLimitWindow } from "./rate-limit-window.js";
import { createSeededRandom, hashSeed, randomString } from "./seeded-random.js";
import { sendCompletion } from "./send-completion.js";
import { sendJson } from "./send-json.js";
import type { SimulatorProfile } from "./simulator-profile.js";

export interface ChatCompletionContext {
  res: ServerResponse;
  bodyText: string;
  profileName: string;
  profile: SimulatorProfile;
  /** Per-profile counter: part of the seed, so repeated prompts get different answers. */
  requestNumber: number;
  seed: number;
  nowMs: number;
  rateLimit: RateLimitWindow;
  /** Stores the parsed body (or the raw text when it does not parse) for tests. */
  record(body: unknown): void;
}

const DEFAULT_LIMITS: RateLimits = { requests: 10_000, tokens: 1_000_000 };
const DEFAULT_RETRY_AFTER_MS = 1000;
const HEX = "0123456789abcdef";

/** Validates, draws this request's fate, plans the answer and sends it. */
export function handleChatCompletion(context: ChatCompletionContext): void {
  const { res, bodyText, profileName, profile, requestNumber, seed, nowMs, rateLimit, record } = context;
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    record(bodyText);
    sendError(res, invalidJson());
    return;
  }
  record(body);
  const parsed = parseChatRequest(body);
  if (!parsed.ok) {
    sendError(res, parsed.error);
    return;
  }
  const request = parsed.request;
  const random = createSeededRandom(hashSeed(seed, profileName, requestNumber, request.lastUserText));
  const failure = drawFailure(profile.failures, random());
  const requestId = `req_${randomString(random, 32, HEX)}`;
  const limits = profile.rateLimit ?? DEFAULT_LIMITS;

  switch (failure) {
    case "rateLimit": {
      const retryAfterMs = profile.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS;
      sendError(res, rateLimited(profile.model ?? request.model, limits.requests, retryAfterMs), {
        ...rateLimit.take(limits, 0, 0),
        "x-request-id": requestId,
        "retry-after": String(Math.ceil(retryAfterMs / 1000)),
        "retry-after-ms": String(retryAfterMs),
      });
      return;
    }
    case "serverError":
      sendError(res, serverError(), { "x-request-id": requestId });
      return;
    case "unavailable":
      sendError(res, engineOverloaded(), { "x-request-id": requestId });
      return;
    case "hang":
      // Deliberately no answer: the socket stays open until the client or close() ends it.
      return;
    case "reset":
      res.socket?.resetAndDestroy();
      return;
    default:
      break;
  }

  const plan = planCompletion({ request, profile, random, nowMs });
  const tokens = plan.usage.promptTokens + plan.usage.completionTokens;
  sendCompletion({
    res,
    plan,
    stream: request.stream,
    includeUsage: request.includeUsage,
    profile,
    headers: {
      ...rateLimit.take(limits, 1, tokens),
      "x-request-id": requestId,
      "openai-version": "2020-10-01",
      "openai-organization": "org-simulator",
    },
    outcome: failure === "truncate" || failure === "garbage" ? failure : "ok",
  });
}

function sendError(res: ServerResponse, error: SimulatorErrorResponse, headers?: Record<string, string>): void {
  sendJson(res, error.status, error.body, headers);
}
