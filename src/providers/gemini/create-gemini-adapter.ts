import { ProviderError, type ChatEvent, type ChatRequest } from "../../core/index.js";
import { createHttpClient, type HttpClient, type HttpResponse } from "../http/create-http-client.js";
import { mapTransportError } from "../http/map-transport-error.js";
import { parseJsonSafe } from "../http/parse-json-safe.js";
import { SseError } from "../http/sse-events.js";
import type {
  AdapterSettings,
  ProviderAdapter,
  ProviderCallOptions,
  ProviderResult,
  ProviderStream,
} from "../spec.js";
import { classifyGeminiError } from "./classify-gemini-error.js";
import { geminiStreamEvents } from "./gemini-stream-events.js";
import { geminiStreamPayloads } from "./gemini-stream-payloads.js";
import { parseGeminiResponse } from "./parse-gemini-response.js";
import { toGeminiRequest } from "./to-gemini-request.js";

export const GEMINI_DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com";
export const GEMINI_DEFAULT_API_VERSION = "v1beta";

export interface GeminiAdapterSettings extends AdapterSettings {
  /** Share one pool between adapters; when absent the adapter owns one and `close()` closes it. */
  httpClient?: HttpClient;
}

/** Error bodies are only ever shown as a message or a snippet. */
const ERROR_BODY_LIMIT_BYTES = 64 * 1024;

const isOk = (status: number): boolean => status >= 200 && status < 300;

const stringRecord = (value: unknown): Record<string, string> => {
  const out: Record<string, string> = {};
  if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) if (typeof item === "string") out[key.toLowerCase()] = item;
  }
  return out;
};

/** `gemini-2.0-flash` → `models/gemini-2.0-flash`; `models/…` and `tunedModels/…` stay as given. */
const modelPath = (model: string): string =>
  (model.includes("/") ? model : `models/${model}`).split("/").map(encodeURIComponent).join("/");

/**
 * An adapter for the Gemini API (Generative Language, WIRE §4): `POST
 * {baseUrl}/{apiVersion}/models/{model}:generateContent`, or `:streamGenerateContent?alt=sse`
 * for streams, with the key in `x-goog-api-key`. `extra.apiVersion` (default `v1beta`) and
 * `extra.headers` may be set per deployment. Gemini sends no rate-limit headers, so results
 * carry no headroom; a 429's retry hint comes from its body.
 */
export function createGeminiAdapter(settings: GeminiAdapterSettings): ProviderAdapter {
  const { provider, extra } = settings;
  const baseUrl = (settings.baseUrl || GEMINI_DEFAULT_BASE_URL).replace(/\/+$/, "");
  const apiVersion = typeof extra.apiVersion === "string" && extra.apiVersion !== "" ? extra.apiVersion : GEMINI_DEFAULT_API_VERSION;
  const root = new URL(`${baseUrl}/${apiVersion}/`);
  const http = settings.httpClient ?? createHttpClient();
  const ownsClient = settings.httpClient === undefined;
  const headers: Record<string, string> = { "content-type": "application/json", ...stringRecord(extra.headers) };
  if (settings.apiKey) headers["x-goog-api-key"] = settings.apiKey;

  const headersFor = (options: ProviderCallOptions | undefined): Record<string, string> =>
    options?.headers !== undefined ? { ...headers, ...options.headers } : headers;

  const targetFor = (model: string, stream: boolean) => ({
    origin: root.origin,
    path: `${root.pathname}${modelPath(model)}${stream ? ":streamGenerateContent?alt=sse" : ":generateContent"}`,
  });

  const send = (request: ChatRequest, stream: boolean, options: ProviderCallOptions | undefined) =>
    // Translated before the call so a request that cannot be expressed fails without being sent.
    http.postJson(targetFor(request.model, stream), toGeminiRequest(request, { provider }), {
      provider,
      headers: headersFor(options),
      ...(options?.signal !== undefined ? { signal: options.signal } : {}),
      ...(options?.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      timeoutScope: stream ? "headers" : "response",
    });

  const failure = async (response: HttpResponse): Promise<ProviderError> =>
    classifyGeminiError({
      provider,
      status: response.status,
      headers: response.headers,
      bodyText: await response.text(ERROR_BODY_LIMIT_BYTES),
    });

  async function chat(request: ChatRequest, options?: ProviderCallOptions): Promise<ProviderResult> {
    const response = await send(request, false, options);
    if (!isOk(response.status)) throw await failure(response);
    const text = await response.text();
    const parsed = parseJsonSafe(text);
    if (!parsed.ok) {
      throw new ProviderError({
        kind: "invalid_response",
        provider,
        status: response.status,
        message: `generateContent body is not JSON: ${text.slice(0, 200)}`,
        cause: parsed.error,
      });
    }
    return { response: parseGeminiResponse(parsed.value, { provider, model: request.model }) };
  }

  async function stream(request: ChatRequest, options?: ProviderCallOptions): Promise<ProviderStream> {
    const response = await send(request, true, options);
    if (!isOk(response.status)) throw await failure(response);
    return { events: streamEvents(response, request.model) };
  }

  /**
   * Owns the response. The stream's end is the body's end, so after `finish` there is nothing
   * left to drain; any other exit (an error, the consumer breaking early) aborts the request.
   */
  async function* streamEvents(response: HttpResponse, model: string): AsyncGenerator<ChatEvent, void, undefined> {
    let finished = false;
    try {
      for await (const event of geminiStreamEvents(geminiStreamPayloads(response.body), { provider, model })) {
        if (event.type === "finish") finished = true;
        yield event;
      }
    } catch (error) {
      if (SseError.isInstance(error)) {
        throw new ProviderError({ kind: "invalid_response", provider, message: error.message, cause: error });
      }
      throw mapTransportError(error, provider);
    } finally {
      if (finished) response.release();
      else response.abort();
    }
  }

  return {
    provider,
    chat,
    stream,
    close: async () => {
      if (ownsClient) await http.close();
    },
  };
}
