import type { ServerResponse } from "node:http";
import { startFakeUpstream, type RecordedRequest } from "../../http/testing/start-fake-upstream.js";
import { decodeGeminiRequest } from "../wire/decode-gemini-request.js";
import { encodeGeminiError } from "../wire/encode-gemini-error.js";
import { encodeGeminiResponse } from "../wire/encode-gemini-response.js";
import { encodeGeminiStream } from "../wire/encode-gemini-stream.js";
import type { DecodedGeminiRequest, GeminiAnswer } from "../wire/gemini-wire-types.js";

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

const ROUTE = /^\/v1beta\/models\/([^/:?]+):(generateContent|streamGenerateContent)(?:\?(.*))?$/;

const CONTENT_TYPE = "application/json; charset=UTF-8";

const sendError = (response: ServerResponse, code: number, status: string, message: string, details: readonly object[] = []): void => {
  response.writeHead(code, { "content-type": CONTENT_TYPE }).end(encodeGeminiError(code, status, message, details.map((detail) => JSON.stringify(detail))));
};

/** What the fake answers: a function call, or text (after a tool result it reports what it got). */
const decide = (request: DecodedGeminiRequest, options: FakeGeminiServerOptions): { text: string } | { call: string; args: string } => {
  const results = request.functionResults;
  if (results.length > 0) {
    return { text: `Tool results: ${results.map((result) => `${result.name}=${JSON.stringify(result.response)}`).join(", ")}` };
  }
  const [first] = request.tools;
  if (first !== undefined && request.lastRole === "user" && request.toolChoice !== "none") {
    return { call: first.name, args: JSON.stringify(options.toolArguments ?? { input: "switchyard" }) };
  }
  return { text: options.text ?? "Hello from the fake Gemini server." };
};

const words = (text: string): string[] => text.match(/\S+\s*/g) ?? [text];

/**
 * A Gemini API stand-in on 127.0.0.1 for conformance tests (WIRE §4): `generateContent` and
 * `streamGenerateContent?alt=sse` with usage, a function call when the request declares tools
 * and ends with a user message, and a text answer otherwise (after a tool result, one that
 * echoes the results), decoded and encoded by the Gemini codec. Unknown paths are 404 NOT_FOUND
 * in Gemini's error shape.
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
    const decoded = decodeGeminiRequest(body);
    if (!decoded.ok) {
      sendError(response, 400, "INVALID_ARGUMENT", decoded.message);
      return;
    }

    const answer = decide(decoded.request, options);
    // A rough prompt size: a token per four characters of the contents.
    const prompt = Math.max(1, Math.ceil(JSON.stringify(decoded.request.contents).length / 4));
    const pieces = "call" in answer ? [] : words(answer.text);
    const encoded: GeminiAnswer = {
      responseId: `fake-gemini-${++responses}`,
      modelVersion: match[1] ?? "",
      parts: "call" in answer ? [{ type: "functionCall", name: answer.call, args: answer.args }] : [{ type: "text", pieces }],
      finishReason: "STOP",
      usage: { promptTokenCount: prompt, candidatesTokenCount: "call" in answer ? 5 : pieces.length, cachedContentTokenCount: 0, thoughtsTokenCount: 0 },
    };

    if (match[2] === "generateContent") {
      response.writeHead(200, { "content-type": CONTENT_TYPE }).end(encodeGeminiResponse(encoded));
      return;
    }
    const sse = url.searchParams.get("alt") === "sse";
    response.writeHead(200, { "content-type": sse ? "text/event-stream" : CONTENT_TYPE });
    for (const event of encodeGeminiStream(encoded, { sse, lineEnding: "\r\n" })) response.write(event.text);
    response.end();
  });

  return { baseUrl: upstream.url, requests: upstream.requests, close: () => upstream.close() };
}
