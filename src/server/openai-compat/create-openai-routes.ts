import type { IncomingMessage, ServerResponse } from "node:http";
import { describeError } from "../../core/index.js";
import { flattenHeaderBlock } from "../flatten-header-block.js";
import type { CompletionService } from "../../gateway/create-completion-service.js";
import type { StreamChunk } from "../../gateway/completion-types.js";
import { noteRequestCall } from "../request-log.js";
import { completionsForPrincipal } from "../../governance/completions-for-principal.js";
import type { Principal } from "../../governance/principal.js";
import type { ModelGroupInfo } from "../../graphql/services.js";
import { BodyTooLargeError, readBody } from "../read-body.js";
import { clientSignal } from "../client-signal.js";
import { isJsonMediaType } from "../is-json-media-type.js";
import { retryHeaders } from "../retry-headers.js";
import { sendJson } from "../send-json.js";
import { readJsonObject } from "../read-json-object.js";
import { REQUEST_LIMITS } from "../../gateway/request-limits.js";
import { checkDepth } from "../../gateway/validate-call-fields.js";
import { fromOpenAIEmbeddings, toOpenAIEmbeddings } from "./from-openai-embeddings.js";
import { createModelRoutes } from "./model-routes.js";
import { fromOpenAIRequest, fromOpenAIRouting, type OpenAIChatBody } from "./from-openai-request.js";
import { toOpenAIChunkText, toOpenAICompletion, toOpenAIError } from "./to-openai-wire.js";
import { V1_DOORS, isDoor } from "../v1-doors.js";

export interface OpenAIRoutesOptions {
  completions: CompletionService;
  models(): ModelGroupInfo[];
  /** `Authorization` → the caller; throws a GatewayError (UNAUTHENTICATED, FORBIDDEN) to refuse. */
  authenticate(authorization: string | undefined): Promise<Principal>;
  /** Whether the caller may use a model group (listed under these names); absent = every model. */
  mayUseModel?(principal: Principal, names: readonly string[]): boolean;
  maxBodyBytes: number;
  /** Epoch seconds, for `created`. */
  now?: () => number;
}

/** The OpenAI-compatible API: `POST /v1/chat/completions` (JSON or SSE), `GET /v1/models` and `GET /v1/models/{id}`. */
export function createOpenAIRoutes(options: OpenAIRoutesOptions) {
  const nowSeconds = options.now ?? (() => Math.floor(Date.now() / 1000));
  const models = createModelRoutes(options);
  const fail = (response: ServerResponse, error: unknown) => {
    const described = describeError(error);
    sendJson(response, described.httpStatus, toOpenAIError(described), retryHeaders(described.details));
  };

  async function embeddings(request: IncomingMessage, response: ServerResponse, principal: Principal): Promise<void> {
    const read = await readJsonObject(request, options.maxBodyBytes);
    if (!read.ok) return sendJson(response, read.status, { error: { message: read.message, type: "invalid_request_error", param: null, code: null } });
    const body = read.body;
    try {
      const { request: embedRequest, base64 } = fromOpenAIEmbeddings(body);
      const metadata = typeof body.metadata === "object" && body.metadata !== null ? (body.metadata as Record<string, unknown>) : null;
      const outcome = await completionsForPrincipal(options.completions, principal, (call) => noteRequestCall(request, call)).embed({ request: embedRequest, metadata, signal: clientSignal(request) });
      sendJson(response, 200, toOpenAIEmbeddings(outcome, base64));
    } catch (error) {
      fail(response, error);
    }
  }

  async function chatCompletions(request: IncomingMessage, response: ServerResponse, principal: Principal): Promise<void> {
    const completions = completionsForPrincipal(options.completions, principal, (call) => noteRequestCall(request, call));
    let body: OpenAIChatBody;
    try {
      const text = await readBody(request, options.maxBodyBytes);
      body = JSON.parse(text) as OpenAIChatBody;
      if (typeof body !== "object" || body === null || Array.isArray(body)) throw new SyntaxError("not an object");
    } catch (error) {
      const message = error instanceof BodyTooLargeError ? error.message : "The request body is not a JSON object";
      sendJson(response, error instanceof BodyTooLargeError ? 413 : 400, { error: { message, type: "invalid_request_error", param: null, code: null } });
      return;
    }
    let chatRequest;
    let routing;
    try {
      checkDepth(body, "body", REQUEST_LIMITS.bodyDepth);
      chatRequest = fromOpenAIRequest(body);
      routing = fromOpenAIRouting(body.routing);
    } catch (error) {
      return fail(response, error);
    }
    const metadata = typeof body.metadata === "object" && body.metadata !== null ? (body.metadata as Record<string, unknown>) : null;

    if (body.stream !== true) {
      const command = { request: chatRequest, metadata, signal: clientSignal(request), routing };
      try {
        sendJson(response, 200, toOpenAICompletion(await completions.complete(command), nowSeconds()));
      } catch (error) {
        fail(response, error);
      }
      return;
    }

    const includeUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
    // Returned, not awaited: this function's frame (the body's text and its parse) ends here, and an
    // open stream keeps only what it writes with.
    return streamChat(response, completions.stream({ request: chatRequest, metadata, routing }), chatRequest.model, includeUsage);
  }

  /**
   * Writes a call's chunks as SSE. The stream's own return() cancels the call (its one AbortController
   * is the service's): a client that leaves ends it even while it waits for the upstream.
   */
  async function streamChat(response: ServerResponse, chunks: AsyncIterableIterator<StreamChunk>, model: string, includeUsage: boolean): Promise<void> {
    const created = nowSeconds();
    let started = false;
    const opened = new Set<number>();
    let last = "";
    // `on`, not `once`: a response closes once, and `once` wraps the listener in a bound function of its own.
    response.on("close", () => {
      if (!response.writableFinished) void chunks.return?.();
    });
    for await (const chunk of chunks) {
      if (chunk.kind === "error") {
        const described = describeError(chunk.error);
        if (!started) return sendJson(response, described.httpStatus, toOpenAIError(described), retryHeaders(described.details));
        response.write(`data: ${JSON.stringify(toOpenAIError(described))}\n\n`);
        break;
      }
      if (!started) {
        started = true;
        response.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive" });
        flattenHeaderBlock(response);
      }
      // The done chunk (the stream's last) leaves with `[DONE]` in the answer's last write.
      if (chunk.kind === "done") last = toOpenAIChunkText(chunk, model, created, includeUsage, opened);
      else response.write(toOpenAIChunkText(chunk, model, created, includeUsage, opened));
    }
    if (!started) response.writeHead(200, { "content-type": "text/event-stream; charset=utf-8" });
    response.end(`${last}data: [DONE]\n\n`);
  }

  /** `false` at once when the path is none of these routes (see Routes), else the promise of the answer. */
  return function route(request: IncomingMessage, response: ServerResponse, path: string): false | Promise<void> {
    const chat = isDoor(V1_DOORS.chatCompletions, request, path);
    const embed = !chat && isDoor(V1_DOORS.embeddings, request, path);
    const list = !chat && !embed && isDoor(V1_DOORS.models, request, path);
    const modelId = !chat && !embed && !list && request.method === "GET" ? models.idOf(path) : undefined;
    if (!chat && !embed && !list && modelId === undefined) return false;
    return answer(request, response, chat, embed, list, modelId);
  };

  async function answer(request: IncomingMessage, response: ServerResponse, chat: boolean, embed: boolean, list: boolean, modelId: string | undefined): Promise<void> {
    let principal: Principal;
    try {
      principal = await options.authenticate(request.headers.authorization);
    } catch (error) {
      fail(response, error);
      return;
    }
    if (request.method === "POST" && !isJsonMediaType(request.headers["content-type"])) {
      // A browser form or a no-cors fetch can send text/plain or form bodies from any site without a
      // preflight; application/json cannot be sent cross-site without CORS, which this server never grants.
      const message = `Content-Type must be application/json (got ${request.headers["content-type"] ?? "none"})`;
      sendJson(response, 415, { error: { message, type: "invalid_request_error", param: null, code: "unsupported_media_type" } });
      return;
    }
    // Returned, not awaited: no frame of this function stays suspended for as long as the stream is open.
    if (chat) return chatCompletions(request, response, principal);
    else if (embed) await embeddings(request, response, principal);
    else if (list) sendJson(response, 200, models.list(principal, nowSeconds()));
    else {
      try {
        sendJson(response, 200, models.retrieve(principal, modelId!, nowSeconds()));
      } catch (error) {
        fail(response, error);
      }
    }
  }
}
