import type { ChatRequest, EmbeddingRequest, ProviderError } from "../../core/index.js";
import { assertOkResponse, isOkStatus } from "../http/assert-ok-response.js";
import type { HttpClient, HttpResponse, HttpTarget } from "../http/create-http-client.js";
import { guardedStreamEvents } from "../http/guarded-stream-events.js";
import { ownHttpClient } from "../http/own-http-client.js";
import { postJsonOptions } from "../http/post-json-options.js";
import { readExtraHeaders } from "../http/read-extra-headers.js";
import { parseJsonBody, readJsonResponse } from "../http/read-json-response.js";
import { sseFrames } from "../http/sse-events.js";
import { readOpenAIRateLimitHeaders } from "../http/read-openai-rate-limit-headers.js";
import type {
  AdapterSettings,
  EmbeddingResult,
  ProviderAdapter,
  ProviderCallOptions,
  ProviderResult,
  ProviderStream,
} from "../spec.js";
import { classifyOpenAIError, type OpenAIErrorInput } from "./wire/classify-openai-error.js";
import type { OpenAIQuirks } from "./wire/openai-quirks.js";
import { OpenAIStreamDecoder } from "./wire/openai-stream-events.js";
import { parseOpenAIEmbeddings, toOpenAIEmbeddingsBody } from "./wire/openai-embeddings.js";
import { parseOpenAIResponse } from "./wire/parse-openai-response.js";
import { toOpenAIRequest, type MaxTokensField } from "./wire/to-openai-request.js";

export const OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1";

export interface OpenAIAdapterSettings extends AdapterSettings {
  /** Share one pool between adapters; when absent the adapter owns one and `close()` closes it. */
  httpClient?: HttpClient;
  /** Where a request goes, when not `${baseUrl}/chat/completions` (Azure names the deployment in the path). */
  urlFor?: (request: ChatRequest) => HttpTarget;
  /** Where an embeddings request goes, when not `${baseUrl}/embeddings` (Azure). */
  embedUrlFor?: (model: string) => HttpTarget;
  /** How the key travels, when not `authorization: Bearer <key>` (Azure: `api-key`). */
  authHeaders?: (apiKey: string) => Record<string, string>;
  /** Replaces classifyOpenAIError for HTTP error responses (Azure adds its inner error details). */
  classifyError?: (input: OpenAIErrorInput) => ProviderError;
  /** How a compatible server departs from OpenAI's wire format. */
  quirks?: OpenAIQuirks;
}

/**
 * The deployment-level headers, built once. `extra` may carry `organization`, `project`
 * (OpenAI's optional headers) and `headers` (anything an OpenAI-compatible server needs).
 */
const baseHeaders = (settings: OpenAIAdapterSettings): Record<string, string> => {
  const { extra } = settings;
  const headers: Record<string, string> = { "content-type": "application/json", ...readExtraHeaders(extra.headers) };
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
  const { provider, quirks, urlFor, embedUrlFor } = settings;
  const classifyError = settings.classifyError ?? classifyOpenAIError;
  const baseUrl = (settings.baseUrl || OPENAI_DEFAULT_BASE_URL).replace(/\/+$/, "");
  const url = new URL(`${baseUrl}/chat/completions`);
  const target = { origin: url.origin, path: url.pathname + url.search };
  const embedUrl = new URL(`${baseUrl}/embeddings`);
  const embedTarget = { origin: embedUrl.origin, path: embedUrl.pathname + embedUrl.search };
  const { http, close } = ownHttpClient(settings.httpClient);
  const headers = baseHeaders(settings);
  const fieldSetting = settings.extra.maxTokensField;
  const maxTokensField: MaxTokensField | undefined =
    fieldSetting === "max_tokens" || fieldSetting === "max_completion_tokens" ? fieldSetting : undefined;

  const chatWhat = { provider, what: "chat completion" };

  const headersFor = (options: ProviderCallOptions | undefined): Record<string, string> =>
    options?.headers !== undefined ? { ...headers, ...options.headers } : headers;

  const send = (request: ChatRequest, stream: boolean, options: ProviderCallOptions | undefined) =>
    http.postJson(
      urlFor !== undefined ? urlFor(request) : target,
      toOpenAIRequest(request, { provider, stream, maxTokensField, quirks }),
      postJsonOptions({ provider, headers: headersFor(options), call: options, stream }),
    );

  const assertOk = (response: HttpResponse): Promise<void> =>
    assertOkResponse(response, (failure) => classifyError({ provider, ...failure }));

  async function chat(request: ChatRequest, options?: ProviderCallOptions): Promise<ProviderResult> {
    const response = await send(request, false, options);
    // The status test inline and the body read here: a 2xx costs no async layer of assertOk's or readJsonResponse's.
    if (!isOkStatus(response.status)) await assertOk(response);
    const body = parseJsonBody(await response.text(), response.status, chatWhat);
    const result: ProviderResult = { response: parseOpenAIResponse(body, { provider, model: request.model, quirks }) };
    const rateLimit = readOpenAIRateLimitHeaders(response.headers);
    if (rateLimit !== undefined) result.rateLimit = rateLimit;
    return result;
  }

  async function stream(request: ChatRequest, options?: ProviderCallOptions): Promise<ProviderStream> {
    const response = await send(request, true, options);
    await assertOk(response);
    const result: ProviderStream = { events: streamEvents(response, request.model) };
    const rateLimit = readOpenAIRateLimitHeaders(response.headers);
    if (rateLimit !== undefined) result.rateLimit = rateLimit;
    return result;
  }

  async function embed(request: EmbeddingRequest, options?: ProviderCallOptions): Promise<EmbeddingResult> {
    const response = await http.postJson(
      embedUrlFor !== undefined ? embedUrlFor(request.model) : embedTarget,
      toOpenAIEmbeddingsBody(request),
      postJsonOptions({ provider, headers: headersFor(options), call: options, stream: false }),
    );
    await assertOk(response);
    const body = await readJsonResponse(response, { provider, what: "embeddings" });
    const result: EmbeddingResult = { response: parseOpenAIEmbeddings(body, { provider, model: request.model, count: request.input.length }) };
    const rateLimit = readOpenAIRateLimitHeaders(response.headers);
    if (rateLimit !== undefined) result.rateLimit = rateLimit;
    return result;
  }

  const streamEvents = (response: HttpResponse, model: string) => {
    const context = { provider, model, ...(quirks !== undefined ? { quirks } : {}) };
    return guardedStreamEvents(response, sseFrames(), new OpenAIStreamDecoder(context), { provider });
  };

  return {
    provider,
    multipleChoices: { stream: true },
    chat,
    stream,
    embed,
    close,
  };
}
