import type { ServerResponse } from "node:http";
import { startFakeUpstream, writeInChunks, type RecordedRequest } from "../../http/testing/start-fake-upstream.js";
import type { AnthropicAnswer, DecodedAnthropicRequest } from "../wire/anthropic-wire-types.js";
import { decodeAnthropicRequest } from "../wire/decode-anthropic-request.js";
import { encodeAnthropicError } from "../wire/encode-anthropic-error.js";
import { encodeAnthropicResponse } from "../wire/encode-anthropic-response.js";
import { encodeAnthropicStream } from "../wire/encode-anthropic-stream.js";

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

const USAGE = { input_tokens: 25, output_tokens: 12, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };

const sendError = (response: ServerResponse, status: number, type: string, message: string): void => {
  response.writeHead(status, { "content-type": "application/json", "request-id": "req_fake" }).end(encodeAnthropicError(type, message, "req_fake"));
};

/** Cuts a string in two by code points, so both halves stay valid text; empty halves are left out. */
const halves = (text: string): string[] => {
  const points = Array.from(text);
  const middle = Math.ceil(points.length / 2);
  return [points.slice(0, middle).join(""), points.slice(middle).join("")].filter((half) => half !== "");
};

/**
 * Decides the answer from the request, the way the conformance suite drives every adapter: after
 * a tool result, a text that quotes it; when tools are offered (and not switched off), a call of
 * the forced tool or else the first one; otherwise the configured text.
 */
const answerFor = (request: DecodedAnthropicRequest, options: FakeAnthropicServerOptions, serial: number): AnthropicAnswer => {
  const base = { id: `msg_fake${serial}`, model: request.model, usage: USAGE };
  const [toolResult] = request.toolResults;
  if (toolResult !== undefined) {
    return { ...base, blocks: [{ type: "text", pieces: halves(`The tool returned: ${toolResult.text}`) }], stopReason: "end_turn" };
  }
  const [firstTool] = request.tools;
  if (firstTool !== undefined && request.toolChoice !== "none") {
    const name = typeof request.toolChoice === "object" ? request.toolChoice.name : firstTool.name;
    const input = JSON.stringify(options.toolInput ?? {});
    return { ...base, blocks: [{ type: "tool_use", id: `toolu_fake${serial}`, name, inputPieces: halves(input) }], stopReason: "tool_use" };
  }
  return { ...base, blocks: [{ type: "text", pieces: halves(options.text ?? "Hello from the fake Anthropic server: héllo 日本 🚀") }], stopReason: "end_turn" };
};

/**
 * A fake Anthropic Messages API on 127.0.0.1 (`POST /v1/messages`) for adapter and conformance
 * tests: a text answer, a streamed one, a tool call and a text after a tool result, each with
 * usage. It checks what Anthropic checks first (JSON body, the api key, then the body as the
 * Anthropic codec decodes it), answers through the codec's encoders and records every request.
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
    const decoded = decodeAnthropicRequest(body);
    if (!decoded.ok) {
      sendError(response, 400, "invalid_request_error", decoded.message);
      return;
    }
    const answer = answerFor(decoded.request, options, ++serial);
    if (decoded.request.stream) {
      response.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", ...options.headers });
      const events = encodeAnthropicStream(answer, { ping: true });
      writeInChunks(response, Buffer.from(events.map((event) => event.text).join("")), options.chunkSize ?? 7);
      response.end();
      return;
    }
    response
      .writeHead(200, { "content-type": "application/json", "request-id": "req_fake", ...options.headers })
      .end(encodeAnthropicResponse(answer));
  });
  return { baseUrl: upstream.url, requests: upstream.requests, close: () => upstream.close() };
}
