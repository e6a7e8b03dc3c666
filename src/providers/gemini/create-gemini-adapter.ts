import type { ChatRequest, EmbeddingRequest } from "../../core/index.js";
import { assertOkResponse } from "../http/assert-ok-response.js";
import type { HttpClient, HttpResponse } from "../http/create-http-client.js";
import { guardedStreamEvents } from "../http/guarded-stream-events.js";
import { ownHttpClient } from "../http/own-http-client.js";
import { postJsonOptions } from "../http/post-json-options.js";
import { readExtraHeaders } from "../http/read-extra-headers.js";
import { readJsonResponse } from "../http/read-json-response.js";
import type {
  EmbeddingResult,
  AdapterSettings,
  ProviderAdapter,
  ProviderCallOptions,
  ProviderResult,
  ProviderStream,
} from "../spec.js";
import { classifyGeminiError } from "./wire/classify-gemini-error.js";
import { parseGeminiEmbeddings, toGeminiEmbedBody } from "./wire/gemini-embeddings.js";
import { GeminiStreamDecoder } from "./wire/gemini-stream-events.js";
import { geminiPayloadFrames } from "./wire/gemini-stream-payloads.js";
import { parseGeminiResponse } from "./wire/parse-gemini-response.js";
import { toGeminiRequest } from "./wire/to-gemini-request.js";

export const GEMINI_DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com";
export const GEMINI_DEFAULT_API_VERSION = "v1beta";

export interface GeminiAdapterSettings extends AdapterSettings {
  /** Share one pool between adapters; when absent the adapter owns one and `close()` closes it. */
  httpClient?: HttpClient;
}

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
  const { http, close } = ownHttpClient(settings.httpClient);
  const headers: Record<string, string> = { "content-type": "application/json", ...readExtraHeaders(extra.headers) };
  if (settings.apiKey) headers["x-goog-api-key"] = settings.apiKey;

  const headersFor = (options: ProviderCallOptions | undefined): Record<string, string> =>
    options?.headers !== undefined ? { ...headers, ...options.headers } : headers;

  const targetFor = (model: string, stream: boolean) => ({
    origin: root.origin,
    path: `${root.pathname}${modelPath(model)}${stream ? ":streamGenerateContent?alt=sse" : ":generateContent"}`,
  });

  const send = (request: ChatRequest, stream: boolean, options: ProviderCallOptions | undefined) =>
    // Translated before the call so a request that cannot be expressed fails without being sent.
    http.postJson(
      targetFor(request.model, stream),
      toGeminiRequest(request, { provider }),
      postJsonOptions({ provider, headers: headersFor(options), call: options, stream }),
    );

  const assertOk = (response: HttpResponse): Promise<void> =>
    assertOkResponse(response, (failure) => classifyGeminiError({ provider, ...failure }));

  async function embed(request: EmbeddingRequest, options?: ProviderCallOptions): Promise<EmbeddingResult> {
    const target = { origin: root.origin, path: `${root.pathname}${modelPath(request.model)}:batchEmbedContents` };
    const response = await http.postJson(target, toGeminiEmbedBody(request), postJsonOptions({ provider, headers: headersFor(options), call: options, stream: false }));
    await assertOk(response);
    const body = await readJsonResponse(response, { provider, what: "batchEmbedContents" });
    return { response: parseGeminiEmbeddings(body, { provider, request }) };
  }

  async function chat(request: ChatRequest, options?: ProviderCallOptions): Promise<ProviderResult> {
    const response = await send(request, false, options);
    await assertOk(response);
    const body = await readJsonResponse(response, { provider, what: "generateContent" });
    return { response: parseGeminiResponse(body, { provider, model: request.model }) };
  }

  async function stream(request: ChatRequest, options?: ProviderCallOptions): Promise<ProviderStream> {
    const response = await send(request, true, options);
    await assertOk(response);
    return { events: streamEvents(response, request.model) };
  }

  // The stream's end is the body's end, so after `finish` there is nothing left to drain.
  const streamEvents = (response: HttpResponse, model: string) =>
    guardedStreamEvents(response, geminiPayloadFrames(), new GeminiStreamDecoder({ provider, model }), { provider });

  return {
    provider,
    // candidateCount: WIRE §4.4 documents streamed candidates without their index, so several are served whole only.
    multipleChoices: { stream: false },
    chat,
    stream,
    embed,
    close,
  };
}
