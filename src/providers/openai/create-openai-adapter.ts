import { ProviderError, type ChatEvent, type ChatRequest } from "../../core/index.js";
import { createHttpClient, type HttpClient, type HttpResponse, type HttpTarget } from "../http/create-http-client.js";
import { mapTransportError } from "../http/map-transport-error.js";
import { parseJsonSafe } from "../http/parse-json-safe.js";
import { readOpenAIRateLimitHeaders } from "../http/read-openai-rate-limit-headers.js";
import { SseError, sseEvents } from "../http/sse-events.js";
import type {
  AdapterSettings,
  ProviderAdapter,
  ProviderCallOptions,
  ProviderResult,
  ProviderStream,
} from "../spec.js";
import { classifyOpenAIError, type OpenAIErrorInput } from "./classify-openai-error.js";
import type { OpenAIQuirks } from "./openai-quirks.js";
import { openaiStreamEvents } from "./openai-stream-events.js";
import { parseOpenAIResponse } from "./parse-openai-response.js";
import { toOpenAIRequest, type MaxTokensField } from "./to-openai-request.js";

export const OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1";

export interface OpenAIAdapterSettings extends AdapterSettings {
  /** Share one pool between adapters; when absent the adapter owns one and `close()` closes it. */
  httpClient?: HttpClient;
  /** Where a request goes, when not `${baseUrl}/chat/completions` (Azure names the deployment in the path). */
  urlFor?: (request: ChatRequest) => HttpTarget;
  /** How the key travels, when not `authorization: Bearer <key>` (Azure: `api-key`). */
  authHeaders?: (apiKey: string) => Record<string, string>;
  /** Replaces classifyOpenAIError for HTTP error responses (Azure adds its inner error details). */
  classifyError?: (input: OpenAIErrorInput) => ProviderError;
  /** How a compatible server departs from OpenAI's wire format. */
  quirks?: OpenAIQuirks;
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
 * The deployment-level headers, built once. `extra` may carry `organization`, `project`
 * (OpenAI's optional headers) and `headers` (anything an OpenAI-compatible server needs).
 */
const baseHeaders = (settings: OpenAIAdapterSettings): Record<string, string> => {
  const { extra } = settings;
  const headers: Record<string, string> = { "content-type": "application/json", ...stringRecord(extra.headers) };
  if (typeof extra.organization === "string") headers["openai-organization"] = extra.organization;
  if (typeof extra.project === "string") headers["openai-project"] = extra.project;
  if (settings.apiKey) {
    if (settings.authHeaders !== undefined) Object.assign(headers, settings.authHeaders(settings.apiKey));
    else headers.authorization = `Bearer ${settings.apiKey}`;
  }
  return headers;
};

/**
 * An adapter for OpenAI Chat Completions and the servers that speak it (`baseUrl` decides
 * which; requests go to `${baseUrl}/chat/completions`). `extra.maxTokensField` may switch
 * `max_tokens` to `max_completion_tokens` for a deployment (reasoning models refuse the former).
 */
export function createOpenAIAdapter(settings: OpenAIAdapterSettings): ProviderAdapter {
  const { provider, quirks, urlFor } = settings;
  const classifyError = settings.classifyError ?? classifyOpenAIError;
  const baseUrl = (settings.baseUrl || OPENAI_DEFAULT_BASE_URL).replace(/\/+$/, "");
  const url = new URL(`${baseUrl}/chat/completions`);
  const target = { origin: url.origin, path: url.pathname + url.search };
  const http = settings.httpClient ?? createHttpClient();
  const ownsClient = settings.httpClient === undefined;
  const headers = baseHeaders(settings);
  const fieldSetting = settings.extra.maxTokensField;
  const maxTokensField: MaxTokensField | undefined =
    fieldSetting === "max_tokens" || fieldSetting === "max_completion_tokens" ? fieldSetting : undefined;

  const headersFor = (options: ProviderCallOptions | undefined): Record<string, string> =>
    options?.headers !== undefined ? { ...headers, ...options.headers } : headers;

  const send = (request: ChatRequest, stream: boolean, options: ProviderCallOptions | undefined) =>
    http.postJson(
      urlFor !== undefined ? urlFor(request) : target,
      toOpenAIRequest(request, {
        provider,
        stream,
        ...(maxTokensField !== undefined ? { maxTokensField } : {}),
        ...(quirks !== undefined ? { quirks } : {}),
      }),
      {
        provider,
        headers: headersFor(options),
        ...(options?.signal !== undefined ? { signal: options.signal } : {}),
        ...(options?.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
        timeoutScope: stream ? "headers" : "response",
      },
    );

  const failure = async (response: HttpResponse): Promise<ProviderError> =>
    classifyError({
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
        message: `chat completion body is not JSON: ${text.slice(0, 200)}`,
        cause: parsed.error,
      });
    }
    const result: ProviderResult = {
      response: parseOpenAIResponse(parsed.value, { provider, model: request.model, ...(quirks !== undefined ? { quirks } : {}) }),
    };
    const rateLimit = readOpenAIRateLimitHeaders(response.headers);
    if (rateLimit !== undefined) result.rateLimit = rateLimit;
    return result;
  }

  async function stream(request: ChatRequest, options?: ProviderCallOptions): Promise<ProviderStream> {
    const response = await send(request, true, options);
    if (!isOk(response.status)) throw await failure(response);
    const result: ProviderStream = { events: streamEvents(response, request.model) };
    const rateLimit = readOpenAIRateLimitHeaders(response.headers);
    if (rateLimit !== undefined) result.rateLimit = rateLimit;
    return result;
  }

  /**
   * Owns the response: once `finish` has been seen the socket is drained back to the pool;
   * any other exit (an error, the consumer breaking early) aborts the upstream request.
   */
  async function* streamEvents(response: HttpResponse, model: string): AsyncGenerator<ChatEvent, void, undefined> {
    let finished = false;
    try {
      const context = { provider, model, ...(quirks !== undefined ? { quirks } : {}) };
      for await (const event of openaiStreamEvents(sseEvents(response.body), context)) {
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
