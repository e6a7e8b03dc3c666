import type { ChatRequest, EmbeddingRequest } from "../../core/index.js";
import { assertOkResponse } from "../http/assert-ok-response.js";
import type { HttpClient, HttpResponse } from "../http/create-http-client.js";
import { guardedStreamEvents } from "../http/guarded-stream-events.js";
import { ndjsonFrames } from "../http/ndjson-lines.js";
import { ownHttpClient } from "../http/own-http-client.js";
import { postJsonOptions } from "../http/post-json-options.js";
import { readExtraHeaders } from "../http/read-extra-headers.js";
import { readJsonResponse } from "../http/read-json-response.js";
import type {
  AdapterSettings,
  EmbeddingResult,
  ProviderAdapter,
  ProviderCallOptions,
  ProviderResult,
  ProviderStream,
} from "../spec.js";
import { classifyOllamaError } from "./wire/classify-ollama-error.js";
import { parseOllamaEmbeddings, toOllamaEmbedBody } from "./wire/ollama-embeddings.js";
import { OllamaStreamDecoder } from "./wire/ollama-stream-events.js";
import { parseOllamaResponse } from "./wire/parse-ollama-response.js";
import { toOllamaRequest } from "./wire/to-ollama-request.js";

export const OLLAMA_DEFAULT_BASE_URL = "http://localhost:11434";

export interface OllamaAdapterSettings extends AdapterSettings {
  /** Share one pool between adapters; when absent the adapter owns one and `close()` closes it. */
  httpClient?: HttpClient;
}

/**
 * An adapter for Ollama's native chat API, `POST {baseUrl}/api/chat` (WIRE §6.1), with its
 * NDJSON stream. A local Ollama needs no key; an apiKey, when set, is sent as a bearer token
 * (ollama.com and authenticating proxies), and `extra.headers` are sent as given.
 */
export function createOllamaAdapter(settings: OllamaAdapterSettings): ProviderAdapter {
  const { provider } = settings;
  const baseUrl = (settings.baseUrl || OLLAMA_DEFAULT_BASE_URL).replace(/\/+$/, "");
  const url = new URL(`${baseUrl}/api/chat`);
  const target = { origin: url.origin, path: url.pathname + url.search };
  const { http, close } = ownHttpClient(settings.httpClient);
  const headers: Record<string, string> = { "content-type": "application/json", ...readExtraHeaders(settings.extra.headers) };
  if (settings.apiKey) headers.authorization = `Bearer ${settings.apiKey}`;

  const send = async (request: ChatRequest, stream: boolean, options: ProviderCallOptions | undefined): Promise<HttpResponse> => {
    // Translation first: a history Ollama cannot take fails before anything is sent.
    const body = toOllamaRequest(request, { provider, stream });
    const callHeaders = options?.headers !== undefined ? { ...headers, ...options.headers } : headers;
    return http.postJson(target, body, postJsonOptions({ provider, headers: callHeaders, call: options, stream }));
  };

  const assertOk = (response: HttpResponse): Promise<void> =>
    assertOkResponse(response, (failure) => classifyOllamaError({ provider, ...failure }));

  const embedUrl = new URL(`${baseUrl}/api/embed`);
  const embedTarget = { origin: embedUrl.origin, path: embedUrl.pathname + embedUrl.search };

  async function embed(request: EmbeddingRequest, options?: ProviderCallOptions): Promise<EmbeddingResult> {
    const callHeaders = options?.headers !== undefined ? { ...headers, ...options.headers } : headers;
    const response = await http.postJson(embedTarget, toOllamaEmbedBody(request), postJsonOptions({ provider, headers: callHeaders, call: options, stream: false }));
    await assertOk(response);
    const body = await readJsonResponse(response, { provider, what: "Ollama embed" });
    return { response: parseOllamaEmbeddings(body, { provider, request }) };
  }

  async function chat(request: ChatRequest, options?: ProviderCallOptions): Promise<ProviderResult> {
    const response = await send(request, false, options);
    await assertOk(response);
    const body = await readJsonResponse(response, { provider, what: "Ollama chat" });
    return { response: parseOllamaResponse(body, { provider, model: request.model }) };
  }

  async function stream(request: ChatRequest, options?: ProviderCallOptions): Promise<ProviderStream> {
    const response = await send(request, true, options);
    await assertOk(response);
    return { events: streamEvents(response, request.model) };
  }

  const streamEvents = (response: HttpResponse, model: string) =>
    guardedStreamEvents(response, ndjsonFrames(), new OllamaStreamDecoder({ provider, model }), { provider });

  return {
    provider,
    chat,
    stream,
    embed,
    close,
  };
}
