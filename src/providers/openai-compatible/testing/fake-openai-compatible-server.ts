import type { ServerResponse } from "node:http";
import { startFakeUpstream, type RecordedRequest } from "../../http/testing/start-fake-upstream.js";
import {
  DEFAULT_FAKE_USAGE,
  planFakeAnswer,
  splitIntoPieces,
  type FakeAnswer,
  type FakeAnswerOptions,
  type FakeProviderServer,
} from "./fake-answer.js";

export interface FakeOpenAICompatibleServerOptions extends FakeAnswerOptions {
  /**
   * `openai` (default): `POST {baseUrl}/chat/completions` with `baseUrl` ending in `/v1`.
   * `azure`: `POST /openai/deployments/{d}/chat/completions?api-version=…` under the resource
   * root, with Azure's filter-only first stream chunk and filter results on choices.
   */
  flavor?: "openai" | "azure";
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

const AZURE_PATH = /^\/openai\/deployments\/[^/?]+\/chat\/completions\?(?:.*&)?api-version=[^&]+/;
const SAFE = { filtered: false, severity: "safe" };
const FILTER_RESULTS = { hate: SAFE, self_harm: SAFE, sexual: SAFE, violence: SAFE };

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
  response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
};

/**
 * A fake OpenAI Chat Completions server (or Azure OpenAI with `flavor: "azure"`) for adapter
 * and conformance tests: a text answer, a streamed one, a tool call when the request offers
 * tools after a user turn, and a text answer after a tool result, all with usage.
 */
export async function startFakeOpenAICompatibleServer(options: FakeOpenAICompatibleServerOptions = {}): Promise<FakeProviderServer> {
  const azure = options.flavor === "azure";
  const usage = options.usage ?? DEFAULT_FAKE_USAGE;
  const wireUsage = {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
  let served = 0;

  const handle = (request: RecordedRequest, response: ServerResponse): void => {
    const pathOk = azure ? AZURE_PATH.test(request.path) : request.path === "/v1/chat/completions";
    if (request.method !== "POST" || !pathOk) {
      sendJson(response, 404, { error: { code: azure ? "DeploymentNotFound" : "not_found", message: `no route for ${request.path}` } });
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(request.body);
    } catch {
      sendJson(response, 400, { error: { message: "body is not JSON", type: "invalid_request_error", param: null, code: null } });
      return;
    }
    if (!isObject(body)) return sendJson(response, 400, { error: { message: "body is not an object", type: "invalid_request_error" } });
    const model = typeof body.model === "string" ? body.model : "fake-model";
    const id = `chatcmpl-fake-${++served}`;
    const answer = planFakeAnswer(readConversation(body), options);
    if (body.stream === true) {
      const includeUsage = isObject(body.stream_options) && body.stream_options.include_usage === true;
      streamAnswer(response, answer, { id, model, includeUsage });
    } else {
      sendJson(response, 200, completion(answer, id, model));
    }
  };

  const choiceExtras = (): Json => (azure ? { content_filter_results: FILTER_RESULTS } : {});

  const completion = (answer: FakeAnswer, id: string, model: string): Json => ({
    id,
    object: "chat.completion",
    created: 1_742_460_935,
    model,
    ...(azure ? { prompt_filter_results: [{ prompt_index: 0, content_filter_results: FILTER_RESULTS }] } : {}),
    choices: [
      {
        index: 0,
        message:
          answer.kind === "text"
            ? { role: "assistant", content: answer.text, refusal: null }
            : {
                role: "assistant",
                content: null,
                refusal: null,
                tool_calls: [{ id: "call_fake_1", type: "function", function: { name: answer.name, arguments: JSON.stringify(answer.arguments) } }],
              },
        logprobs: null,
        finish_reason: answer.kind === "text" ? "stop" : "tool_calls",
        ...choiceExtras(),
      },
    ],
    usage: wireUsage,
  });

  const streamAnswer = (
    response: ServerResponse,
    answer: FakeAnswer,
    stream: { id: string; model: string; includeUsage: boolean },
  ): void => {
    response.writeHead(200, { "content-type": "text/event-stream; charset=utf-8" });
    const send = (data: unknown) => response.write(`data: ${JSON.stringify(data)}\n\n`);
    const chunk = (delta: Json, finishReason: string | null = null, extra: Json = {}) =>
      send({
        id: stream.id,
        object: "chat.completion.chunk",
        created: 1_742_460_935,
        model: stream.model,
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason, ...choiceExtras() }],
        ...extra,
      });
    if (azure) {
      send({ choices: [], created: 0, id: "", model: "", object: "", prompt_filter_results: [{ prompt_index: 0, content_filter_results: FILTER_RESULTS }] });
    }
    if (answer.kind === "text") {
      chunk({ role: "assistant", content: "", refusal: null });
      for (const piece of splitIntoPieces(answer.text)) chunk({ content: piece });
    } else {
      const args = JSON.stringify(answer.arguments);
      const half = Math.floor(args.length / 2);
      chunk({
        role: "assistant",
        content: null,
        tool_calls: [{ index: 0, id: "call_fake_1", type: "function", function: { name: answer.name, arguments: "" } }],
      });
      chunk({ tool_calls: [{ index: 0, function: { arguments: args.slice(0, half) } }] });
      chunk({ tool_calls: [{ index: 0, function: { arguments: args.slice(half) } }] });
    }
    const finishReason = answer.kind === "text" ? "stop" : "tool_calls";
    // Servers that were not asked for a usage chunk (Mistral, Fireworks) put usage on the finish chunk.
    chunk({}, finishReason, stream.includeUsage ? {} : { usage: wireUsage });
    if (stream.includeUsage) {
      send({ id: stream.id, object: "chat.completion.chunk", created: 1_742_460_935, model: stream.model, choices: [], usage: wireUsage });
    }
    response.end("data: [DONE]\n\n");
  };

  const upstream = await startFakeUpstream(handle);
  return {
    baseUrl: azure ? upstream.url : `${upstream.url}/v1`,
    requests: upstream.requests,
    close: () => upstream.close(),
  };
}
