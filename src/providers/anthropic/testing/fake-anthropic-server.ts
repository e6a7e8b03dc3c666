import type { ServerResponse } from "node:http";
import { startFakeUpstream, writeInChunks, type RecordedRequest } from "../../http/testing/start-fake-upstream.js";
import { encodeAnthropicStream, type AnthropicContentBlock, type AnthropicMessageBody } from "./encode-anthropic-stream.js";

export interface FakeAnthropicServerOptions {
  /** The answer to a prompt that needs no tool. */
  text?: string;
  /** `input` of the tool call made when the request offers tools; default `{}`. */
  toolInput?: Record<string, unknown>;
  /** When set, a request whose `x-api-key` differs gets Anthropic's 401. */
  apiKey?: string;
  /** Bytes per write of a streamed answer; small values split events and UTF-8 characters. Default 7. */
  chunkSize?: number;
  /** Extra headers on every successful answer (e.g. `anthropic-ratelimit-*`). */
  headers?: Record<string, string>;
}

export interface FakeAnthropicServer {
  /** What an Anthropic adapter takes as `baseUrl` (requests go to `${baseUrl}/v1/messages`). */
  baseUrl: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

const USAGE = { input_tokens: 25, output_tokens: 12, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };

const sendError = (response: ServerResponse, status: number, type: string, message: string): void => {
  response
    .writeHead(status, { "content-type": "application/json", "request-id": "req_fake" })
    .end(JSON.stringify({ type: "error", error: { type, message }, request_id: "req_fake" }));
};

/** The text of a `tool_result` block, whether its content is a string or text blocks. */
const resultText = (content: unknown): string => {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((block) => (isObject(block) && typeof block.text === "string" ? block.text : "")).join("");
};

/**
 * Decides the answer from the request, the way the conformance suite drives every adapter: after
 * a tool result, a text that quotes it; when tools are offered (and not switched off), a call of
 * the forced tool or else the first one; otherwise the configured text.
 */
const answerFor = (body: Json, options: FakeAnthropicServerOptions, serial: number): AnthropicMessageBody => {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const last: unknown = messages[messages.length - 1];
  const lastBlocks = isObject(last) && Array.isArray(last.content) ? last.content : [];
  const toolResult: unknown = lastBlocks.find((block) => isObject(block) && block.type === "tool_result");
  const tools = Array.isArray(body.tools) ? body.tools.filter(isObject) : [];
  const choice = isObject(body.tool_choice) ? body.tool_choice : undefined;
  const base = { id: `msg_fake${serial}`, model: typeof body.model === "string" ? body.model : "claude-fake", usage: USAGE };

  let content: AnthropicContentBlock[];
  let stopReason = "end_turn";
  if (isObject(toolResult)) {
    content = [{ type: "text", text: `The tool returned: ${resultText(toolResult.content)}` }];
  } else if (tools.length > 0 && choice?.type !== "none") {
    const forced = choice?.type === "tool" && typeof choice.name === "string" ? choice.name : undefined;
    const name = forced ?? (typeof tools[0]?.name === "string" ? tools[0].name : "tool");
    content = [{ type: "tool_use", id: `toolu_fake${serial}`, name, input: options.toolInput ?? {} }];
    stopReason = "tool_use";
  } else {
    content = [{ type: "text", text: options.text ?? "Hello from the fake Anthropic server: héllo 日本 🚀" }];
  }
  return { ...base, content, stop_reason: stopReason };
};

/**
 * A fake Anthropic Messages API on 127.0.0.1 (`POST /v1/messages`) for adapter and conformance
 * tests: a text answer, a streamed one, a tool call and a text after a tool result, each with
 * usage. It checks what Anthropic checks first (JSON body, `max_tokens`, the api key) and
 * records every request.
 */
export async function startFakeAnthropicServer(options: FakeAnthropicServerOptions = {}): Promise<FakeAnthropicServer> {
  let serial = 0;
  const upstream = await startFakeUpstream((request, response) => {
    if (request.method !== "POST" || request.path !== "/v1/messages") {
      sendError(response, 404, "not_found_error", `${request.method} ${request.path} not found`);
      return;
    }
    if (options.apiKey !== undefined && request.headers["x-api-key"] !== options.apiKey) {
      sendError(response, 401, "authentication_error", "invalid x-api-key");
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(request.body);
    } catch {
      sendError(response, 400, "invalid_request_error", "body is not valid JSON");
      return;
    }
    if (!isObject(body) || typeof body.max_tokens !== "number") {
      sendError(response, 400, "invalid_request_error", "max_tokens: Field required");
      return;
    }
    const message = answerFor(body, options, ++serial);
    if (body.stream === true) {
      response.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", ...options.headers });
      writeInChunks(response, Buffer.from(encodeAnthropicStream(message)), options.chunkSize ?? 7);
      response.end();
      return;
    }
    response
      .writeHead(200, { "content-type": "application/json", "request-id": "req_fake", ...options.headers })
      .end(JSON.stringify({ type: "message", role: "assistant", stop_sequence: null, ...message }));
  });
  return { baseUrl: upstream.url, requests: upstream.requests, close: () => upstream.close() };
}
