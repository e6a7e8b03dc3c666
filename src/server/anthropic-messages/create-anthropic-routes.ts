import type { IncomingMessage, ServerResponse } from "node:http";
import { describeError, GatewayError, modelNotFound, type ChatRequest } from "../../core/index.js";
import type { CompletionService } from "../../gateway/create-completion-service.js";
import { estimatePromptTokens } from "../../gateway/estimate-prompt-tokens.js";
import { countPromptTokens } from "../../gateway/prompt-size.js";
import { noteRequestCall } from "../request-log.js";
import { completionsForPrincipal } from "../../governance/completions-for-principal.js";
import type { Principal } from "../../governance/principal.js";
import type { Routes } from "../chain-routes.js";
import { isJsonMediaType } from "../is-json-media-type.js";
import { readJsonObject } from "../read-json-object.js";
import { retryHeaders } from "../retry-headers.js";
import { sendJson } from "../send-json.js";
import { createAnthropicEventStream, type AnthropicEvent } from "./anthropic-event-stream.js";
import { fromAnthropicRequest } from "./from-anthropic-request.js";
import { toAnthropicError, toAnthropicMessage } from "./to-anthropic-wire.js";
import { V1_DOORS, isDoor } from "../v1-doors.js";
import { clientSignal } from "../client-signal.js";

export interface AnthropicRoutesOptions {
  completions: CompletionService;
  /** `Authorization` → the caller; throws a GatewayError (UNAUTHENTICATED, FORBIDDEN) to refuse. */
  authenticate(authorization: string | undefined): Promise<Principal>;
  /** A requested name's group, as every name it answers to; null when no group or alias has it. */
  modelNames(model: string): readonly string[] | null;
  /** Whether the caller may use a model group (listed under these names); absent = every model. */
  mayUseModel?(principal: Principal, names: readonly string[]): boolean;
  maxBodyBytes: number;
}

/**
 * The Anthropic Messages API in front of every provider: `POST /v1/messages` (JSON or Anthropic's SSE
 * events) and `POST /v1/messages/count_tokens`. The key comes in `x-api-key` (what Anthropic's SDKs send)
 * or `Authorization: Bearer`; `anthropic-version` is accepted and not needed.
 */
export function createAnthropicRoutes(options: AnthropicRoutesOptions): Routes {
  const fail = (response: ServerResponse, error: unknown) => {
    const described = describeError(error);
    sendJson(response, described.httpStatus, toAnthropicError(described), retryHeaders(described.details));
  };

  async function readRequest(request: IncomingMessage, response: ServerResponse, requireMaxTokens: boolean) {
    const read = await readJsonObject(request, options.maxBodyBytes);
    if (!read.ok) {
      sendJson(response, read.status, toAnthropicError({ httpStatus: read.status, message: read.message }));
      return null;
    }
    try {
      return { body: read.body, chat: fromAnthropicRequest(read.body, { requireMaxTokens }) };
    } catch (error) {
      fail(response, error);
      return null;
    }
  }

  async function messages(request: IncomingMessage, response: ServerResponse, principal: Principal): Promise<void> {
    const read = await readRequest(request, response, true);
    if (!read) return;
    const completions = completionsForPrincipal(options.completions, principal, (call) => noteRequestCall(request, call));
    const command = { request: read.chat, signal: clientSignal(request) };

    if (read.body.stream !== true) {
      try {
        const outcome = await completions.complete(command);
        const { model, message, finish, usage } = outcome.response;
        sendJson(response, 200, toAnthropicMessage({ callId: outcome.callId, model, message, finish, usage }));
      } catch (error) {
        fail(response, error);
      }
      return;
    }

    let events: ReturnType<typeof createAnthropicEventStream> | undefined;
    const send = (list: AnthropicEvent[]) => {
      for (const e of list) response.write(`event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`);
    };
    for await (const chunk of completions.stream(command)) {
      if (chunk.kind === "error") {
        const described = describeError(chunk.error);
        if (!events) return sendJson(response, described.httpStatus, toAnthropicError(described), retryHeaders(described.details));
        send(events.failed(described));
        break;
      }
      if (!events) {
        events = createAnthropicEventStream({ callId: chunk.callId, model: read.chat.model, promptTokens: estimatePromptTokens(read.chat) });
        response.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive" });
        send(events.start());
      }
      send(chunk.kind === "delta" ? events.delta(chunk) : events.done(chunk));
    }
    if (!events) return fail(response, new GatewayError("INTERNAL", "The stream ended without an answer"));
    response.end();
  }

  async function countTokens(request: IncomingMessage, response: ServerResponse, principal: Principal): Promise<void> {
    const read = await readRequest(request, response, false);
    if (!read) return;
    try {
      checkModel(read.chat, principal);
      sendJson(response, 200, { input_tokens: countPromptTokens(read.chat) });
    } catch (error) {
      fail(response, error);
    }
  }

  /** count_tokens calls no provider, so the names and scope are checked here as the service would. */
  function checkModel(chat: ChatRequest, principal: Principal): void {
    const names = options.modelNames(chat.model);
    if (!names) throw modelNotFound(chat.model);
    if (options.mayUseModel && !options.mayUseModel(principal, names)) {
      throw new GatewayError("FORBIDDEN", `This key may not use model "${chat.model}"`, { model: chat.model });
    }
  }

  return function route(request, response, path) {
    const isMessages = isDoor(V1_DOORS.messages, request, path);
    if (!isMessages && !isDoor(V1_DOORS.countTokens, request, path)) return false;
    return answer(request, response, isMessages);
  };

  async function answer(request: IncomingMessage, response: ServerResponse, isMessages: boolean): Promise<void> {
    let principal: Principal;
    try {
      const apiKey = request.headers["x-api-key"];
      principal = await options.authenticate(typeof apiKey === "string" && apiKey !== "" ? `Bearer ${apiKey}` : request.headers.authorization);
    } catch (error) {
      fail(response, error);
      return;
    }
    if (!isJsonMediaType(request.headers["content-type"])) {
      const message = `Content-Type must be application/json (got ${request.headers["content-type"] ?? "none"})`;
      sendJson(response, 415, toAnthropicError({ httpStatus: 415, message }));
      return;
    }
    if (isMessages) await messages(request, response, principal);
    else await countTokens(request, response, principal);
  }
}
