import type { ServerResponse } from "node:http";
import { startFakeUpstream, writeInChunks, type RecordedRequest } from "../../http/testing/start-fake-upstream.js";
import { encodeBedrockEvent } from "./encode-bedrock-frame.js";

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

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null;

const PATH = /\/model\/([^/]+)\/(converse|converse-stream)$/;

type Answer = { kind: "text"; text: string } | { kind: "tool"; toolUseId: string; name: string; input: Json };

const sendError = (response: ServerResponse, status: number, type: string, message: string): void => {
  response
    .writeHead(status, { "content-type": "application/json", "x-amzn-errortype": `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/` })
    .end(JSON.stringify({ message }));
};

/**
 * Picks the answer the way a model would: a tool result in the last user turn gets a text
 * answer; a question with tools offered gets a call to the first tool; anything else text.
 */
const chooseAnswer = (body: Json, options: FakeBedrockServerOptions): Answer => {
  const messages = Array.isArray(body.messages) ? (body.messages as unknown[]) : [];
  const last = messages.at(-1);
  const content = isObject(last) && Array.isArray(last.content) ? (last.content as unknown[]) : [];
  const answersTool = content.some((block) => isObject(block) && block.toolResult !== undefined);
  const toolConfig = isObject(body.toolConfig) ? body.toolConfig : undefined;
  const tools = Array.isArray(toolConfig?.tools) ? (toolConfig.tools as unknown[]) : [];
  const first = tools[0];
  const spec = isObject(first) && isObject(first.toolSpec) ? first.toolSpec : undefined;
  if (!answersTool && spec !== undefined && typeof spec.name === "string") {
    return { kind: "tool", toolUseId: "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", name: spec.name, input: options.toolInput ?? { city: "Paris" } };
  }
  return answersTool
    ? { kind: "text", text: options.textAfterToolResult ?? "It is 21 °C in Paris." }
    : { kind: "text", text: options.text ?? "Hello from Bedrock — héllo 日本 🚀!" };
};

const usageOf = (options: FakeBedrockServerOptions): Json => {
  const usage = options.usage ?? { inputTokens: 22, outputTokens: 9 };
  const total = usage.inputTokens + usage.outputTokens + (usage.cacheReadInputTokens ?? 0) + (usage.cacheWriteInputTokens ?? 0);
  return { ...usage, totalTokens: total };
};

const converseBody = (answer: Answer, usage: Json): Json => ({
  output: {
    message: {
      role: "assistant",
      content:
        answer.kind === "text"
          ? [{ text: answer.text }]
          : [{ toolUse: { toolUseId: answer.toolUseId, name: answer.name, input: answer.input } }],
    },
  },
  stopReason: answer.kind === "text" ? "end_turn" : "tool_use",
  usage,
  metrics: { latencyMs: 412 },
});

/** Splits a string into three pieces by code point, so no piece ends inside a character. */
const pieces = (text: string): string[] => {
  const chars = Array.from(text);
  const size = Math.max(1, Math.ceil(chars.length / 3));
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(""));
  return out;
};

const streamFrames = (answer: Answer, usage: Json): Buffer[] => {
  const frames = [encodeBedrockEvent("messageStart", { role: "assistant" })];
  if (answer.kind === "text") {
    for (const piece of pieces(answer.text)) frames.push(encodeBedrockEvent("contentBlockDelta", { contentBlockIndex: 0, delta: { text: piece } }));
  } else {
    frames.push(
      encodeBedrockEvent("contentBlockStart", { contentBlockIndex: 0, start: { toolUse: { toolUseId: answer.toolUseId, name: answer.name } } }),
    );
    for (const piece of pieces(JSON.stringify(answer.input))) {
      frames.push(encodeBedrockEvent("contentBlockDelta", { contentBlockIndex: 0, delta: { toolUse: { input: piece } } }));
    }
  }
  frames.push(
    encodeBedrockEvent("contentBlockStop", { contentBlockIndex: 0 }),
    encodeBedrockEvent("messageStop", { stopReason: answer.kind === "text" ? "end_turn" : "tool_use" }),
    encodeBedrockEvent("metadata", { usage, metrics: { latencyMs: 412 } }),
  );
  return frames;
};

/**
 * A Bedrock Runtime stand-in speaking Converse and ConverseStream (WIRE §5) for adapter and
 * conformance tests: a text answer, a tool call when tools are offered, a text answer after a
 * tool result, each with usage, as JSON or as binary event-stream frames. Requests without an
 * `authorization` header get Bedrock's 403; the signature itself is not checked.
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
    if (!isObject(body) || !Array.isArray(body.messages)) {
      sendError(response, 400, "ValidationException", "1 validation error detected: Value null at 'messages' failed to satisfy constraint");
      return;
    }
    const answer = chooseAnswer(body, options);
    const usage = usageOf(options);
    const requestId = `fake-request-${++counter}`;
    if (match[2] === "converse") {
      response
        .writeHead(200, { "content-type": "application/json", "x-amzn-requestid": requestId })
        .end(JSON.stringify(converseBody(answer, usage)));
      return;
    }
    response.writeHead(200, { "content-type": "application/vnd.amazon.eventstream", "x-amzn-requestid": requestId });
    writeInChunks(response, Buffer.concat(streamFrames(answer, usage)), options.chunkSize ?? 64);
    response.end();
  });
  return { baseUrl: upstream.url, requests: upstream.requests, close: () => upstream.close() };
}
