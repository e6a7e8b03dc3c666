import type { ServerResponse } from "node:http";
import { startFakeUpstream, type RecordedRequest } from "../../http/testing/start-fake-upstream.js";
import {
  DEFAULT_FAKE_USAGE,
  fakeAnswerPlan,
  lastMessageContent,
  planFakeAnswer,
  type FakeAnswerOptions,
  type FakeProviderServer,
} from "../../openai-compatible/testing/fake-answer.js";
import { ollamaError, type OllamaErrorResponse } from "../wire/ollama-error.js";
import { parseOllamaRequest } from "../wire/parse-ollama-request.js";
import { renderOllamaBody, type OllamaTiming } from "../wire/render-ollama-body.js";
import { renderOllamaStream } from "../wire/render-ollama-stream.js";

/** The fixed clock and durations of the fake's answers. */
const TIMING: OllamaTiming = { nowMs: Date.parse("2025-08-04T19:22:45.499Z"), firstTokenMs: 342.546, generationMs: 4_535.599 };

const sendError = (response: ServerResponse, error: OllamaErrorResponse): void => {
  response.writeHead(error.status, { "content-type": "application/json; charset=utf-8" }).end(error.body);
};

/**
 * A fake Ollama server speaking `/api/chat` (WIRE §6.1) for adapter and conformance tests: a
 * text answer, an NDJSON stream (the default, as with Ollama), a whole tool call without an id
 * when the request offers tools after a user turn, and a text answer after a tool result, all
 * with `prompt_eval_count`/`eval_count`. Requests are read and answers written by the Ollama
 * codec (src/providers/ollama/wire), as the simulator's are.
 */
export async function startFakeOllamaServer(options: FakeAnswerOptions = {}): Promise<FakeProviderServer> {
  const usage = options.usage ?? DEFAULT_FAKE_USAGE;

  const handle = (request: RecordedRequest, response: ServerResponse): void => {
    if (request.method !== "POST" || request.path !== "/api/chat") {
      response.writeHead(404, { "content-type": "text/plain" }).end("404 page not found");
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(request.body);
    } catch {
      sendError(response, ollamaError(400, "invalid character in request body"));
      return;
    }
    const parsed = parseOllamaRequest(body);
    if (!parsed.ok) {
      sendError(response, parsed.error);
      return;
    }
    const wire = parsed.request;
    const answer = planFakeAnswer(
      { lastRole: wire.lastRole, lastContent: lastMessageContent(body), toolNames: wire.tools.map((tool) => tool.name) },
      options,
    );
    const plan = fakeAnswerPlan(answer, { id: "", model: wire.model, created: Math.floor(TIMING.nowMs / 1000), usage });
    if (!wire.stream) {
      response.writeHead(200, { "content-type": "application/json; charset=utf-8" }).end(renderOllamaBody(plan, TIMING));
      return;
    }
    response.writeHead(200, { "content-type": "application/x-ndjson" });
    for (const event of renderOllamaStream(plan, TIMING)) response.write(event.text);
    response.end();
  };

  const upstream = await startFakeUpstream(handle);
  return { baseUrl: upstream.url, requests: upstream.requests, close: () => upstream.close() };
}
