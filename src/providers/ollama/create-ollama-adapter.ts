import { ProviderError, type ChatEvent, type ChatRequest } from "../../core/index.js";
import { createHttpClient, type HttpClient, type HttpResponse } from "../http/create-http-client.js";
import { mapTransportError } from "../http/map-transport-error.js";
import { ndjsonLines } from "../http/ndjson-lines.js";
import { parseJsonSafe } from "../http/parse-json-safe.js";
import type {
  AdapterSettings,
  ProviderAdapter,
  ProviderCallOptions,
  ProviderResult,
  ProviderStream,
} from "../spec.js";
import { classifyOllamaError } from "./classify-ollama-error.js";
import { ollamaStreamEvents } from "./ollama-stream-events.js";
import { parseOllamaResponse } from "./parse-ollama-response.js";
import { toOllamaRequest } from "./to-ollama-request.js";

export const OLLAMA_DEFAULT_BASE_URL = "http://localhost:11434";

export interface OllamaAdapterSettings extends AdapterSettings {
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
  const http = settings.httpClient ?? createHttpClient();
  const ownsClient = settings.httpClient === undefined;
  const headers: Record<string, string> = { "content-type": "application/json", ...stringRecord(settings.extra.headers) };
  if (settings.apiKey) headers.authorization = `Bearer ${settings.apiKey}`;

  const send = async (request: ChatRequest, stream: boolean, options: ProviderCallOptions | undefined): Promise<HttpResponse> => {
    // Translation first: a history Ollama cannot take fails before anything is sent.
    const body = toOllamaRequest(request, { provider, stream });
    return http.postJson(target, body, {
      provider,
      headers: options?.headers !== undefined ? { ...headers, ...options.headers } : headers,
      ...(options?.signal !== undefined ? { signal: options.signal } : {}),
      ...(options?.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      timeoutScope: stream ? "headers" : "response",
    });
  };

  const failure = async (response: HttpResponse): Promise<ProviderError> =>
    classifyOllamaError({
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
        message: `Ollama chat body is not JSON: ${text.slice(0, 200)}`,
        cause: parsed.error,
      });
    }
    return { response: parseOllamaResponse(parsed.value, { provider, model: request.model }) };
  }

  async function stream(request: ChatRequest, options?: ProviderCallOptions): Promise<ProviderStream> {
    const response = await send(request, true, options);
    if (!isOk(response.status)) throw await failure(response);
    return { events: streamEvents(response, request.model) };
  }

  /**
   * Owns the response: once `finish` has been seen the socket is drained back to the pool;
   * any other exit (an error, the consumer breaking early) aborts the upstream request.
   */
  async function* streamEvents(response: HttpResponse, model: string): AsyncGenerator<ChatEvent, void, undefined> {
    let finished = false;
    try {
      for await (const event of ollamaStreamEvents(ndjsonLines(response.body), { provider, model })) {
        if (event.type === "finish") finished = true;
        yield event;
      }
    } catch (error) {
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
