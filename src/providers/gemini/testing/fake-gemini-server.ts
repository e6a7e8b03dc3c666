import type { ServerResponse } from "node:http";
import { startFakeUpstream, type RecordedRequest } from "../../http/testing/start-fake-upstream.js";

export interface FakeGeminiServerOptions {
  /** When set, requests must carry it (`x-goog-api-key` or `?key=`): a wrong key is 400 API_KEY_INVALID, none is 403. */
  apiKey?: string;
  /** The answer to a user message. */
  text?: string;
  /** The `args` of the function call the server makes. */
  toolArguments?: Record<string, unknown>;
}

export interface FakeGeminiServer {
  /** Give it to the adapter as `baseUrl`. */
  baseUrl: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

const ROUTE = /^\/v1beta\/models\/([^/:?]+):(generateContent|streamGenerateContent)(?:\?(.*))?$/;

const isRecord = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

const sendJson = (response: ServerResponse, status: number, body: unknown): void => {
  response.writeHead(status, { "content-type": "application/json; charset=UTF-8" }).end(JSON.stringify(body));
};

const sendError = (response: ServerResponse, code: number, status: string, message: string, details: Json[] = []): void => {
  sendJson(response, code, { error: { code, message, status, ...(details.length > 0 ? { details } : {}) } });
};

/** Accepts the camelCase the adapter sends and the snake_case the API also takes. */
const field = (body: Json, camel: string, snake: string): unknown => body[camel] ?? body[snake];

const lastContent = (body: Json): Json | undefined => {
  const contents = body.contents;
  if (!Array.isArray(contents)) return undefined;
  const last: unknown = contents[contents.length - 1];
  return isRecord(last) ? last : undefined;
};

const partsOf = (content: Json | undefined): Json[] =>
  content !== undefined && Array.isArray(content.parts) ? content.parts.filter(isRecord) : [];

const firstFunctionName = (body: Json): string | undefined => {
  const tools = body.tools;
  if (!Array.isArray(tools)) return undefined;
  for (const tool of tools) {
    const declarations = isRecord(tool) ? field(tool, "functionDeclarations", "function_declarations") : undefined;
    if (!Array.isArray(declarations)) continue;
    const first: unknown = declarations[0];
    if (isRecord(first) && typeof first.name === "string") return first.name;
  }
  return undefined;
};

const toolsDisabled = (body: Json): boolean => {
  const config = field(body, "toolConfig", "tool_config");
  const calling = isRecord(config) ? field(config, "functionCallingConfig", "function_calling_config") : undefined;
  return isRecord(calling) && calling.mode === "NONE";
};

/** What the fake answers: a function call, or text (after a tool result it reports what it got). */
const decide = (body: Json, options: FakeGeminiServerOptions): { text: string } | { call: Json } => {
  const last = lastContent(body);
  const results = partsOf(last)
    .map((part) => field(part, "functionResponse", "function_response"))
    .filter(isRecord);
  if (results.length > 0) {
    return { text: `Tool results: ${results.map((result) => `${String(result.name)}=${JSON.stringify(result.response)}`).join(", ")}` };
  }
  const name = firstFunctionName(body);
  if (name !== undefined && last?.role === "user" && !toolsDisabled(body)) {
    return { call: { functionCall: { name, args: options.toolArguments ?? { input: "switchyard" } } } };
  }
  return { text: options.text ?? "Hello from the fake Gemini server." };
};

const usageFor = (body: Json, outputTokens: number): Json => {
  const prompt = Math.max(1, Math.ceil(JSON.stringify(body.contents ?? []).length / 4));
  return { promptTokenCount: prompt, candidatesTokenCount: outputTokens, totalTokenCount: prompt + outputTokens };
};

const words = (text: string): string[] => text.match(/\S+\s*/g) ?? [text];

/**
 * A Gemini API stand-in on 127.0.0.1 for conformance tests (WIRE §4): `generateContent` and
 * `streamGenerateContent?alt=sse` with usage, a function call when the request declares tools
 * and ends with a user message, and a text answer otherwise (after a tool result, one that
 * echoes the results). Unknown paths are 404 NOT_FOUND in Gemini's error shape.
 */
export async function startFakeGeminiServer(options: FakeGeminiServerOptions = {}): Promise<FakeGeminiServer> {
  let responses = 0;
  const upstream = await startFakeUpstream((request, response) => {
    const url = new URL(request.path, "http://fake");
    const match = ROUTE.exec(url.pathname + (url.search !== "" ? url.search : ""));
    if (request.method !== "POST" || match === null) {
      sendError(response, 404, "NOT_FOUND", `${request.method} ${url.pathname} is not found.`);
      return;
    }
    if (options.apiKey !== undefined) {
      const header = request.headers["x-goog-api-key"];
      const key = (typeof header === "string" ? header : undefined) ?? url.searchParams.get("key") ?? undefined;
      if (key === undefined) {
        sendError(response, 403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers. Please use an API Key.");
        return;
      }
      if (key !== options.apiKey) {
        sendError(response, 400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", [
          { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "API_KEY_INVALID", domain: "googleapis.com" },
        ]);
        return;
      }
    }
    let body: unknown;
    try {
      body = JSON.parse(request.body);
    } catch {
      sendError(response, 400, "INVALID_ARGUMENT", "Invalid JSON payload received.");
      return;
    }
    if (!isRecord(body) || !Array.isArray(body.contents)) {
      sendError(response, 400, "INVALID_ARGUMENT", "* GenerateContentRequest.contents: contents is not specified");
      return;
    }

    const model = match[1] ?? "";
    const responseId = `fake-gemini-${++responses}`;
    const answer = decide(body, options);
    const envelope = (parts: Json[], extra: Json): Json => ({
      candidates: [{ content: { parts, role: "model" }, index: 0, ...extra }],
      modelVersion: model,
      responseId,
    });

    if (match[2] === "generateContent") {
      const parts = "call" in answer ? [answer.call] : [{ text: answer.text }];
      const output = "call" in answer ? 5 : words(answer.text).length;
      sendJson(response, 200, { ...envelope(parts, { finishReason: "STOP" }), usageMetadata: usageFor(body, output) });
      return;
    }

    const pieces: Json[][] = "call" in answer ? [[answer.call]] : words(answer.text).map((word) => [{ text: word }]);
    const total = "call" in answer ? 5 : pieces.length;
    // Earlier chunks repeat the prompt usage only, as Gemini's do.
    const { promptTokenCount } = usageFor(body, 0);
    const chunks = pieces.map((parts, index) =>
      index === pieces.length - 1
        ? { ...envelope(parts, { finishReason: "STOP" }), usageMetadata: usageFor(body, total) }
        : { ...envelope(parts, {}), usageMetadata: { promptTokenCount, totalTokenCount: promptTokenCount } },
    );
    if (url.searchParams.get("alt") !== "sse") {
      sendJson(response, 200, chunks);
      return;
    }
    response.writeHead(200, { "content-type": "text/event-stream" });
    for (const chunk of chunks) response.write(`data: ${JSON.stringify(chunk)}\r\n\r\n`);
    response.end();
  });

  return { baseUrl: upstream.url, requests: upstream.requests, close: () => upstream.close() };
}
