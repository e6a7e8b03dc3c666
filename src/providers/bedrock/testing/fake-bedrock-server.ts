import type { ServerResponse } from "node:http";
import { startFakeUpstream, writeInChunks, type RecordedRequest } from "../../http/testing/start-fake-upstream.js";
import type { BedrockAnswer, DecodedBedrockRequest } from "../wire/bedrock-wire-types.js";
import { decodeBedrockRequest } from "../wire/decode-bedrock-request.js";
import { encodeBedrockError } from "../wire/encode-bedrock-error.js";
import { encodeBedrockResponse } from "../wire/encode-bedrock-response.js";
import { encodeBedrockStream } from "../wire/encode-bedrock-stream.js";

export interface FakeBedrockUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
}

export interface FakeBedrockServerOptions {
  /** The answer to a plain question. */
  text?: string;
  /** The answer once the last user turn carries a tool result. */
  textAfterToolResult?: string;
  /** The `input` of the tool call made when the request offers tools. */
  toolInput?: Record<string, unknown>;
  usage?: FakeBedrockUsage;
  /** Stream bytes are written in pieces of this size (frames split mid-header, mid-payload). */
  chunkSize?: number;
}

export interface FakeBedrockServer {
  /** Pass as the adapter's `baseUrl`. */
  baseUrl: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const PATH = /\/model\/([^/]+)\/(converse|converse-stream)$/;

const sendError = (response: ServerResponse, status: number, type: string, message: string): void => {
  const error = encodeBedrockError(type, message);
  response.writeHead(status, { "content-type": "application/json", ...error.headers }).end(error.body);
};

/** Splits a string into three pieces by code point, so no piece ends inside a character. */
const pieces = (text: string): string[] => {
  const chars = Array.from(text);
  const size = Math.max(1, Math.ceil(chars.length / 3));
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(""));
  return out;
};

/**
 * Picks the answer the way a model would: a tool result in the last user turn gets a text
 * answer; a question with tools offered gets a call to the first tool; anything else text.
 */
const answerFor = (request: DecodedBedrockRequest, options: FakeBedrockServerOptions): BedrockAnswer => {
  const usage = options.usage ?? { inputTokens: 22, outputTokens: 9 };
  const base = {
    usage: { cacheReadInputTokens: 0, cacheWriteInputTokens: 0, ...usage },
    latencyMs: 412,
  };
  const answersTool = request.lastRole === "tool";
  const [first] = request.tools;
  if (!answersTool && first !== undefined) {
    const input = JSON.stringify(options.toolInput ?? { city: "Paris" });
    return { ...base, blocks: [{ type: "toolUse", toolUseId: "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", name: first.name, inputPieces: pieces(input) }], stopReason: "tool_use" };
  }
  const text = answersTool ? (options.textAfterToolResult ?? "It is 21 °C in Paris.") : (options.text ?? "Hello from Bedrock — héllo 日本 🚀!");
  return { ...base, blocks: [{ type: "text", pieces: pieces(text) }], stopReason: "end_turn" };
};

/**
 * A Bedrock Runtime stand-in speaking Converse and ConverseStream (WIRE §5) for adapter and
 * conformance tests: a text answer, a tool call when tools are offered, a text answer after a
 * tool result, each with usage, as JSON or as binary event-stream frames, decoded and encoded by
 * the Bedrock codec. Requests without an `authorization` header get Bedrock's 403; the signature
 * itself is not checked.
 */
export async function startFakeBedrockServer(options: FakeBedrockServerOptions = {}): Promise<FakeBedrockServer> {
  let counter = 0;
  const upstream = await startFakeUpstream((request, response) => {
    const match = PATH.exec(request.path);
    if (request.method !== "POST" || match === null) {
      sendError(response, 404, "UnknownOperationException", "Unknown operation");
      return;
    }
    if (request.headers.authorization === undefined) {
      sendError(response, 403, "MissingAuthenticationTokenException", "Missing Authentication Token");
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(request.body);
    } catch {
      sendError(response, 400, "ValidationException", "Malformed input request, please reformat your input and try again.");
      return;
    }
    const decoded = decodeBedrockRequest(body);
    if (!decoded.ok) {
      sendError(response, 400, "ValidationException", decoded.message);
      return;
    }
    const answer = answerFor(decoded.request, options);
    const requestId = `fake-request-${++counter}`;
    if (match[2] === "converse") {
      response.writeHead(200, { "content-type": "application/json", "x-amzn-requestid": requestId }).end(encodeBedrockResponse(answer));
      return;
    }
    response.writeHead(200, { "content-type": "application/vnd.amazon.eventstream", "x-amzn-requestid": requestId });
    const frames = encodeBedrockStream(answer).map((event) => (typeof event.text === "string" ? Buffer.from(event.text) : event.text));
    writeInChunks(response, Buffer.concat(frames), options.chunkSize ?? 64);
    response.end();
  });
  return { baseUrl: upstream.url, requests: upstream.requests, close: () => upstream.close() };
}
