import type { ServerResponse } from "node:http";
import { startFakeUpstream, type RecordedRequest } from "../../http/testing/start-fake-upstream.js";
import {
  DEFAULT_FAKE_USAGE,
  planFakeAnswer,
  splitIntoPieces,
  type FakeAnswer,
  type FakeAnswerOptions,
  type FakeProviderServer,
} from "../../openai-compatible/testing/fake-answer.js";

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

const CREATED_AT = "2025-08-04T19:22:45.499127Z";

const readConversation = (body: Json) => {
  const messages = Array.isArray(body.messages) ? body.messages.filter(isObject) : [];
  const last = messages.at(-1);
  const tools = Array.isArray(body.tools) ? body.tools.filter(isObject) : [];
  return {
    lastRole: typeof last?.role === "string" ? last.role : undefined,
    lastContent: typeof last?.content === "string" ? last.content : null,
    toolNames: tools.flatMap((tool) => (isObject(tool.function) && typeof tool.function.name === "string" ? [tool.function.name] : [])),
  };
};

const sendJson = (response: ServerResponse, status: number, body: unknown): void => {
  response.writeHead(status, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(body));
};

/**
 * A fake Ollama server speaking `/api/chat` (WIRE §6.1) for adapter and conformance tests: a
 * text answer, an NDJSON stream (the default, as with Ollama), a whole tool call without an id
 * when the request offers tools after a user turn, and a text answer after a tool result, all
 * with `prompt_eval_count`/`eval_count`.
 */
export async function startFakeOllamaServer(options: FakeAnswerOptions = {}): Promise<FakeProviderServer> {
  const usage = options.usage ?? DEFAULT_FAKE_USAGE;

  const final = (model: string, message: Json): Json => ({
    model,
    created_at: CREATED_AT,
    message,
    done: true,
    done_reason: "stop",
    total_duration: 4_883_583_458,
    load_duration: 1_334_875,
    prompt_eval_count: usage.inputTokens,
    prompt_eval_duration: 342_546_000,
    eval_count: usage.outputTokens,
    eval_duration: 4_535_599_000,
  });

  const toolMessage = (answer: Extract<FakeAnswer, { kind: "tool" }>): Json => ({
    role: "assistant",
    content: "",
    tool_calls: [{ function: { name: answer.name, arguments: answer.arguments } }],
  });

  const handle = (request: RecordedRequest, response: ServerResponse): void => {
    if (request.method !== "POST" || request.path !== "/api/chat") {
      response.writeHead(404, { "content-type": "text/plain" }).end("404 page not found");
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(request.body);
    } catch {
      sendJson(response, 400, { error: "invalid character in request body" });
      return;
    }
    if (!isObject(body)) return sendJson(response, 400, { error: "request body is not an object" });
    const model = typeof body.model === "string" ? body.model : "llama3.2";
    const answer = planFakeAnswer(readConversation(body), options);
    if (body.stream === false) {
      sendJson(response, 200, final(model, answer.kind === "text" ? { role: "assistant", content: answer.text } : toolMessage(answer)));
      return;
    }
    response.writeHead(200, { "content-type": "application/x-ndjson" });
    const line = (value: Json) => response.write(`${JSON.stringify(value)}\n`);
    if (answer.kind === "text") {
      for (const piece of splitIntoPieces(answer.text)) {
        line({ model, created_at: CREATED_AT, message: { role: "assistant", content: piece }, done: false });
      }
    } else {
      line({ model, created_at: CREATED_AT, message: toolMessage(answer), done: false });
    }
    response.end(`${JSON.stringify(final(model, { role: "assistant", content: "" }))}\n`);
  };

  const upstream = await startFakeUpstream(handle);
  return { baseUrl: upstream.url, requests: upstream.requests, close: () => upstream.close() };
}
