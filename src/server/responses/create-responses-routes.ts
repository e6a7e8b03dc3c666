import type { IncomingMessage, ServerResponse } from "node:http";
import { badInput, describeError, GatewayError, type ChatMessage } from "../../core/index.js";
import type { StoredResponsesRepository, ResponseOwner } from "../../db/stored-responses-repository.js";
import type { CompletionService } from "../../gateway/create-completion-service.js";
import { noteRequestCall } from "../request-log.js";
import { completionsForPrincipal } from "../../governance/completions-for-principal.js";
import type { Principal } from "../../governance/principal.js";
import type { Routes } from "../chain-routes.js";
import { isJsonMediaType } from "../is-json-media-type.js";
import { fromOpenAIRouting } from "../openai-compat/from-openai-request.js";
import { toOpenAIError } from "../openai-compat/to-openai-wire.js";
import { readJsonObject } from "../read-json-object.js";
import { retryHeaders } from "../retry-headers.js";
import { sendJson } from "../send-json.js";
import { fromResponsesRequest, toChatRequest, type ResponsesTurn } from "./from-responses-request.js";
import { createResponsesEventStream, type ResponsesEvent } from "./responses-event-stream.js";
import { responseIdOf, statusOf, toAssistantMessage, toOutputItems, toResponseObject, type OutputItem, type ResponseFrame } from "./to-responses-wire.js";
import { V1_DOORS, isDoor } from "../v1-doors.js";
import { clientSignal } from "../client-signal.js";

export interface ResponsesRoutesOptions {
  completions: CompletionService;
  store: StoredResponsesRepository;
  /** `Authorization` → the caller; throws a GatewayError (UNAUTHENTICATED, FORBIDDEN) to refuse. */
  authenticate(authorization: string | undefined): Promise<Principal>;
  maxBodyBytes: number;
  /** A response that was answered but could not be stored (the answer still goes out). */
  onStoreError?(error: unknown, responseId: string): void;
  /** Epoch seconds, for `created_at`. */
  now?: () => number;
}

const RESPONSE_PATH = /^\/v1\/responses\/([A-Za-z0-9_-]{1,200})$/;

/** The OpenAI Responses API: `POST /v1/responses` (JSON or semantic SSE events), `GET` and `DELETE /v1/responses/{id}`. */
export function createResponsesRoutes(options: ResponsesRoutesOptions): Routes {
  const nowSeconds = options.now ?? (() => Math.floor(Date.now() / 1000));
  const fail = (response: ServerResponse, error: unknown) => {
    const described = describeError(error);
    sendJson(response, described.httpStatus, toOpenAIError(described), retryHeaders(described.details));
  };
  const ownerOf = (principal: Principal): ResponseOwner => (principal.kind === "key" ? { keyId: principal.keyId } : null);

  async function save(frame: ResponseFrame, principal: Principal, history: readonly ChatMessage[], output: readonly OutputItem[], response: object): Promise<void> {
    if (!frame.turn.store) return;
    try {
      await options.store.save({
        id: frame.id,
        callId: frame.callId,
        keyId: principal.kind === "key" ? principal.keyId : null,
        messages: [...history, ...frame.turn.input, toAssistantMessage(output)],
        response: response as Record<string, unknown>,
      });
    } catch (error) {
      options.onStoreError?.(error, frame.id);
    }
  }

  async function create(request: IncomingMessage, response: ServerResponse, principal: Principal): Promise<void> {
    const read = await readJsonObject(request, options.maxBodyBytes);
    if (!read.ok) return sendJson(response, read.status, { error: { message: read.message, type: "invalid_request_error", param: null, code: null } });
    const body = read.body;
    let turn: ResponsesTurn;
    let history: ChatMessage[] = [];
    let routing: ReturnType<typeof fromOpenAIRouting>;
    try {
      turn = fromResponsesRequest(body);
      routing = fromOpenAIRouting(body.routing);
      if (turn.previousResponseId !== null) {
        const previous = await options.store.find(turn.previousResponseId, ownerOf(principal));
        if (!previous) throw badInput(`Previous response with id '${turn.previousResponseId}' not found.`, { param: "previous_response_id" });
        history = previous.messages;
      }
    } catch (error) {
      return fail(response, error);
    }
    const completions = completionsForPrincipal(options.completions, principal, (call) => noteRequestCall(request, call));
    const command = { request: toChatRequest(turn, history), metadata: turn.metadata, signal: clientSignal(request), routing };
    const createdAt = nowSeconds();
    const frameOf = (callId: string): ResponseFrame => ({ id: responseIdOf(callId), callId, createdAt, turn, body });

    if (!turn.stream) {
      try {
        const outcome = await completions.complete(command);
        const frame = frameOf(outcome.callId);
        const output = toOutputItems(outcome.callId, outcome.response.message);
        const { status, incompleteReason } = statusOf(outcome.response.finish);
        const answer = toResponseObject(frame, { status, incompleteReason, model: outcome.response.model, output, usage: outcome.response.usage });
        await save(frame, principal, history, output, answer);
        sendJson(response, 200, answer);
      } catch (error) {
        fail(response, error);
      }
      return;
    }

    let events: ReturnType<typeof createResponsesEventStream> | undefined;
    let frame: ResponseFrame | undefined;
    const send = (list: ResponsesEvent[]) => {
      for (const e of list) response.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
    };
    for await (const chunk of completions.stream(command)) {
      if (chunk.kind === "error") {
        const described = describeError(chunk.error);
        if (!events) return sendJson(response, described.httpStatus, toOpenAIError(described), retryHeaders(described.details));
        send(events.failed(described));
        break;
      }
      if (!events || !frame) {
        frame = frameOf(chunk.callId);
        events = createResponsesEventStream(frame);
        response.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive" });
        send(events.start());
      }
      if (chunk.kind === "delta") {
        send(events.delta(chunk));
      } else {
        const done = events.done(chunk);
        // Stored before the client hears it is complete, so a follow-up naming it finds it.
        await save(frame, principal, history, events.output(), done.response);
        send(done.events);
      }
    }
    if (!events) {
      // The service never ends a stream without a chunk; answer in the door's shape if it ever does.
      return fail(response, new GatewayError("INTERNAL", "The stream ended without an answer"));
    }
    response.end();
  }

  async function retrieve(response: ServerResponse, principal: Principal, id: string, remove: boolean): Promise<void> {
    try {
      if (remove) {
        if (!(await options.store.delete(id, ownerOf(principal)))) throw notFound(id);
        return sendJson(response, 200, { id, object: "response", deleted: true });
      }
      const stored = await options.store.find(id, ownerOf(principal));
      if (!stored) throw notFound(id);
      sendJson(response, 200, stored.response);
    } catch (error) {
      fail(response, error);
    }
  }

  return function route(request, response, path) {
    const isCreate = isDoor(V1_DOORS.responses, request, path);
    const idMatch = path.startsWith("/v1/responses/") ? RESPONSE_PATH.exec(path) : null;
    const isRead = idMatch !== null && (request.method === "GET" || request.method === "DELETE");
    if (!isCreate && !isRead) return false;
    return answer(request, response, isCreate ? undefined : idMatch![1]!);
  };

  async function answer(request: IncomingMessage, response: ServerResponse, readId: string | undefined): Promise<void> {
    let principal: Principal;
    try {
      principal = await options.authenticate(request.headers.authorization);
    } catch (error) {
      fail(response, error);
      return;
    }
    if (readId === undefined) {
      if (!isJsonMediaType(request.headers["content-type"])) {
        const message = `Content-Type must be application/json (got ${request.headers["content-type"] ?? "none"})`;
        sendJson(response, 415, { error: { message, type: "invalid_request_error", param: null, code: "unsupported_media_type" } });
        return;
      }
      await create(request, response, principal);
    } else {
      await retrieve(response, principal, readId, request.method === "DELETE");
    }
  }
}

const notFound = (id: string) => new GatewayError("NOT_FOUND", `Response with id '${id}' not found.`, { param: "response_id" });
