import { ProviderError, type ChatRequest, type EmbeddingRequest } from "../../core/index.js";
import { assertOkResponse } from "../http/assert-ok-response.js";
import type { HttpClient, HttpResponse } from "../http/create-http-client.js";
import { guardedStreamEvents } from "../http/guarded-stream-events.js";
import { ownHttpClient } from "../http/own-http-client.js";
import { postJsonOptions } from "../http/post-json-options.js";
import { readHeader } from "../http/read-header.js";
import { readJsonResponse } from "../http/read-json-response.js";
import type {
  EmbeddingResult,
  AdapterSettings,
  ProviderAdapter,
  ProviderCallOptions,
  ProviderResult,
  ProviderStream,
} from "../spec.js";
import { isCohereEmbedModel, parseCohereEmbeddings, parseTitanEmbedding, toCohereEmbedBody, toTitanEmbedBody } from "./wire/bedrock-embeddings.js";
import { BedrockStreamDecoder } from "./wire/bedrock-stream-events.js";
import { classifyBedrockError } from "./wire/classify-bedrock-error.js";
import { createBedrockSigner, type BedrockSigner } from "./create-bedrock-signer.js";
import { eventStreamFrames } from "./wire/event-stream-messages.js";
import { parseBedrockResponse } from "./wire/parse-bedrock-response.js";
import { toBedrockRequest } from "./wire/to-bedrock-request.js";

export interface BedrockAdapterSettings extends AdapterSettings {
  /** Share one pool between adapters; when absent the adapter owns one and `close()` closes it. */
  httpClient?: HttpClient;
  /** Epoch milliseconds used to date request signatures (tests pin it). */
  now?: () => number;
}

/** Bedrock Runtime's public endpoint for a region. */
export const bedrockDefaultBaseUrl = (region: string): string => `https://bedrock-runtime.${region}.amazonaws.com`;

const REGION_IN_HOST = /^bedrock-runtime(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);

const lowerCaseKeys = (headers: Record<string, string> | undefined): Record<string, string> => {
  const out: Record<string, string> = {};
  if (headers !== undefined) for (const [key, value] of Object.entries(headers)) out[key.toLowerCase()] = value;
  return out;
};

type Authorise = (request: { host: string; path: string; headers: Record<string, string>; body: string }) => Promise<Record<string, string>>;

/**
 * How calls are authorised, decided once. A Bedrock API key (`apiKey`) is sent as a bearer
 * token; otherwise `extra.accessKeyId`/`secretAccessKey`/`sessionToken` sign each request
 * with SigV4. A deployment with neither, or without a region to sign for, fails every call
 * with a non-retryable error rather than the whole gateway at start.
 */
const authoriser = (settings: BedrockAdapterSettings, region: string | undefined): Authorise | ProviderError => {
  const { provider, extra } = settings;
  if (settings.apiKey) {
    const authorization = `Bearer ${settings.apiKey}`;
    return async ({ headers }) => ({ ...headers, authorization });
  }
  const accessKeyId = text(extra.accessKeyId);
  const secretAccessKey = text(extra.secretAccessKey);
  if (accessKeyId === undefined || secretAccessKey === undefined) {
    return new ProviderError({
      kind: "auth",
      provider,
      message: "no AWS credentials for Bedrock: set accessKeyId and secretAccessKey (or apiKey for a Bedrock API key)",
    });
  }
  if (region === undefined) {
    return new ProviderError({ kind: "bad_request", provider, message: "no AWS region for Bedrock: set region" });
  }
  const sessionToken = text(extra.sessionToken);
  const signer: BedrockSigner = createBedrockSigner({
    region,
    credentials: { accessKeyId, secretAccessKey, ...(sessionToken !== undefined ? { sessionToken } : {}) },
    ...(settings.now !== undefined ? { now: settings.now } : {}),
  });
  return signer;
};

/**
 * An adapter for Bedrock Runtime's Converse and ConverseStream (WIRE §5): requests go to
 * `${baseUrl}/model/${encodeURIComponent(model)}/converse[-stream]`, where `baseUrl` defaults
 * to `https://bedrock-runtime.${region}.amazonaws.com`. `extra.region` names the region; when
 * it is absent it is read from an AWS `baseUrl`. The adapter never reads the environment:
 * `bedrockCredentialsFromEnv` fills `extra` for the composition root.
 */
export function createBedrockAdapter(settings: BedrockAdapterSettings): ProviderAdapter {
  const { provider } = settings;
  const configuredUrl = settings.baseUrl ? new URL(settings.baseUrl.replace(/\/+$/, "")) : undefined;
  const region = text(settings.extra.region) ?? (configuredUrl ? REGION_IN_HOST.exec(configuredUrl.hostname)?.[1] : undefined);
  const baseUrl = configuredUrl ?? (region !== undefined ? new URL(bedrockDefaultBaseUrl(region)) : undefined);
  const basePath = baseUrl?.pathname.replace(/\/+$/, "") ?? "";
  const authorise: Authorise | ProviderError =
    baseUrl === undefined
      ? new ProviderError({ kind: "bad_request", provider, message: "no endpoint for Bedrock: set region or baseUrl" })
      : authoriser(settings, region);
  const { http, close } = ownHttpClient(settings.httpClient);

  const send = (request: ChatRequest, stream: boolean, options: ProviderCallOptions | undefined): Promise<HttpResponse> =>
    sendSigned(request.model, stream ? "converse-stream" : "converse", () => toBedrockRequest(request, { provider }), stream, options);

  /** One signed POST to `/model/{model}/{operation}`; the body is built inside so a translation failure is a ProviderError. */
  const sendSigned = async (model: string, operation: string, build: () => unknown, stream: boolean, options: ProviderCallOptions | undefined): Promise<HttpResponse> => {
    if (authorise instanceof ProviderError) throw authorise;
    if (baseUrl === undefined) throw new ProviderError({ kind: "bad_request", provider, message: "no endpoint for Bedrock" });
    let body: string;
    try {
      body = JSON.stringify(build());
    } catch (error) {
      if (ProviderError.isInstance(error)) throw error;
      throw new ProviderError({ kind: "bad_request", provider, message: "request body is not serialisable as JSON", cause: error });
    }
    const path = `${basePath}/model/${encodeURIComponent(model)}/${operation}`;
    // The body is signed as this exact string and sent as it is: postJson does not re-serialise strings.
    const headers = await authorise({
      host: baseUrl.host,
      path,
      headers: { ...lowerCaseKeys(options?.headers), "content-type": "application/json" },
      body,
    });
    const target = { origin: baseUrl.origin, path };
    return http.postJson(target, body, postJsonOptions({ provider, headers, call: options, stream }));
  };

  const assertOk = (response: HttpResponse): Promise<void> =>
    assertOkResponse(response, (failure) => classifyBedrockError({ provider, ...failure }));

  const requestId = (response: HttpResponse): string => readHeader(response.headers, "x-amzn-requestid") ?? "";

  const invokeJson = async (model: string, build: () => unknown, options: ProviderCallOptions | undefined): Promise<unknown> => {
    const response = await sendSigned(model, "invoke", build, false, options);
    await assertOk(response);
    return readJsonResponse(response, { provider, what: "InvokeModel" });
  };

  /** Cohere models embed a batch in one call; Titan one text a call, sent together. */
  async function embed(request: EmbeddingRequest, options?: ProviderCallOptions): Promise<EmbeddingResult> {
    if (isCohereEmbedModel(request.model)) {
      const { vectors, tokens } = parseCohereEmbeddings(await invokeJson(request.model, () => toCohereEmbedBody(request), options), provider, request);
      return { response: { model: request.model, vectors, inputTokens: tokens } };
    }
    const each = await Promise.all(
      request.input.map(async (text) => parseTitanEmbedding(await invokeJson(request.model, () => toTitanEmbedBody(text, request.dimensions), options), provider, text)),
    );
    return { response: { model: request.model, vectors: each.map((e) => e.vector), inputTokens: each.reduce((sum, e) => sum + e.tokens, 0) } };
  }

  async function chat(request: ChatRequest, options?: ProviderCallOptions): Promise<ProviderResult> {
    const response = await send(request, false, options);
    await assertOk(response);
    const body = await readJsonResponse(response, { provider, what: "Converse" });
    return { response: parseBedrockResponse(body, { provider, model: request.model, id: requestId(response) }) };
  }

  async function stream(request: ChatRequest, options?: ProviderCallOptions): Promise<ProviderStream> {
    const response = await send(request, true, options);
    await assertOk(response);
    return { events: streamEvents(response, request.model) };
  }

  const streamEvents = (response: HttpResponse, model: string) =>
    guardedStreamEvents(response, eventStreamFrames({ provider }), new BedrockStreamDecoder({ provider, model, id: requestId(response) }), { provider });

  return {
    provider,
    chat,
    stream,
    embed,
    close,
  };
}
