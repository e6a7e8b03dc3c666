import type { IncomingHttpHeaders } from "node:http";
import type { CompletionPlan } from "../plan-completion.js";
import type { RateLimits, RateLimitWindow } from "../rate-limit-window.js";
import type { SimulatedRequest } from "../simulated-request.js";
import type { SimulatorProfile } from "../simulator-profile.js";

/** A complete non-200 (or refused) response in a format's own shape. */
export interface WireResponse {
  status: number;
  /** Serialized JSON. */
  body: string;
  headers?: Record<string, string>;
}

/** What the matched path says beyond the format itself. */
export interface WireRoute {
  /** The model named by the path: Gemini's `models/{model}`, Bedrock's model id, Azure's deployment. */
  model?: string;
  /** Set where the path decides streaming (Gemini, Bedrock). */
  stream?: boolean;
  /** Raw query string without the "?"; "" when absent. */
  query: string;
}

export type WireParseResult = { ok: true; request: SimulatedRequest } | { ok: false; error: WireResponse };

/**
 * Opens the message of every failure the simulator makes up (rate limits, server errors, overload,
 * mid-stream errors), so a log or a dashboard never passes one off as a real provider's (or a real bill's).
 */
export const SIMULATED = "[simulated] ";

/** Failures that are an HTTP error response instead of an answer. */
export type HttpFailure = "rateLimit" | "serverError" | "unavailable";

/** Per-request facts for headers and error bodies. */
export interface ResponseContext {
  route: WireRoute;
  /** The model reported back: the profile's, else the request's. */
  model: string;
  /** 32 random hex characters; each format dresses them as its own request id. */
  requestHex: string;
  profile: SimulatorProfile;
  limits: RateLimits;
  /** Formats with rate-limit headers take from it; the others leave it alone. */
  window: RateLimitWindow;
}

/** Everything a renderer may put into an answer besides the plan. */
export interface RenderContext {
  request: SimulatedRequest;
  route: WireRoute;
  requestHex: string;
  lineEnding: "\n" | "\r\n";
  keepAlive: boolean;
  nowMs: number;
  /** The planned delays (Bedrock's latencyMs, Ollama's durations). */
  firstTokenMs: number;
  generationMs: number;
}

/**
 * One piece of a stream, fully framed, and the token tick at which a paced stream sends it.
 * `terminal` marks what only a finished stream carries (Anthropic message_stop, Gemini's
 * finishReason chunk, Bedrock messageStop/metadata, Ollama's done line): truncation never sends it.
 */
export interface StreamEvent {
  text: string | Buffer;
  tick: number;
  terminal?: boolean;
}

/**
 * One provider's wire format: how its requests parse into a SimulatedRequest and how plans,
 * streams and failures look on its wire. Everything else (the failure draw, planning, pacing,
 * chunking, truncation) is shared.
 */
export interface WireFormat {
  /** Checks credentials; the refusal in the format's shape, or undefined when allowed. */
  authorize(headers: IncomingHttpHeaders, route: WireRoute, apiKey: string | undefined): WireResponse | undefined;
  /** The route's profile does not exist. */
  profileNotFound(profile: string): WireResponse;
  invalidJson(): WireResponse;
  parse(body: unknown, route: WireRoute): WireParseResult;
  failure(kind: HttpFailure, context: ResponseContext): WireResponse;
  /** Headers of a 200 (request id, rate-limit headroom after `tokens`, …). */
  successHeaders(context: ResponseContext, tokens: number): Record<string, string>;
  /** Header carrying the simulated processing time, when the provider sends one. */
  processingHeader?: string;
  bodyContentType: string;
  renderBody(plan: CompletionPlan, context: RenderContext): string;
  /** A 200 body that starts like the real one and stops being JSON. */
  garbageBody(plan: CompletionPlan): string;
  streamContentType(route: WireRoute): string;
  renderStream(plan: CompletionPlan, context: RenderContext): StreamEvent[];
  /** Sent before the first event (OpenAI's `: keep-alive` comment). */
  streamPrefix?(context: RenderContext): string;
  /** An event that frames correctly but whose payload does not parse. */
  garbageEvent(context: RenderContext): string | Buffer;
  /** The provider's own error event, after which the stream ends. */
  errorEvent(context: RenderContext): string | Buffer;
}
