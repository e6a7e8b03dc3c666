import type { ServerResponse } from "node:http";
import { startFakeUpstream, type RecordedRequest } from "../../http/testing/start-fake-upstream.js";
import { azureDeploymentNotFound } from "../../openai/wire/azure-error.js";
import { invalidJson, invalidUrl, type OpenAIErrorResponse } from "../../openai/wire/openai-error.js";
import { parseOpenAIRequest } from "../../openai/wire/parse-openai-request.js";
import { renderAzureBody } from "../../openai/wire/render-azure-body.js";
import { renderAzureStream } from "../../openai/wire/render-azure-stream.js";
import { renderOpenAIBody } from "../../openai/wire/render-openai-body.js";
import { renderOpenAIStream } from "../../openai/wire/render-openai-stream.js";
import {
  DEFAULT_FAKE_USAGE,
  fakeAnswerPlan,
  lastMessageContent,
  planFakeAnswer,
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

const AZURE_PATH = /^\/openai\/deployments\/([^/?]+)\/chat\/completions\?(?:.*&)?api-version=[^&]+/;
const CREATED = 1_742_460_935;

const sendError = (response: ServerResponse, error: OpenAIErrorResponse): void => {
  response.writeHead(error.status, { "content-type": "application/json" }).end(error.body);
};

/**
 * A fake OpenAI Chat Completions server (or Azure OpenAI with `flavor: "azure"`) for adapter
 * and conformance tests: a text answer, a streamed one, a tool call when the request offers
 * tools after a user turn, and a text answer after a tool result, all with usage. Requests are
 * read and answers written by the OpenAI codec (src/providers/openai/wire), as the simulator's are;
 * unasked, a streamed answer carries its usage on the finish chunk, as compatible servers do.
 */
export async function startFakeOpenAICompatibleServer(options: FakeOpenAICompatibleServerOptions = {}): Promise<FakeProviderServer> {
  const azure = options.flavor === "azure";
  const usage = options.usage ?? DEFAULT_FAKE_USAGE;
  let served = 0;

  const handle = (request: RecordedRequest, response: ServerResponse): void => {
    const azurePath = azure ? AZURE_PATH.exec(request.path) : null;
    const pathOk = azure ? azurePath !== null : request.path === "/v1/chat/completions";
    if (request.method !== "POST" || !pathOk) {
      sendError(response, azure ? azureDeploymentNotFound() : invalidUrl(request.method, request.path));
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(request.body);
    } catch {
      sendError(response, invalidJson());
      return;
    }
    const deployment = azurePath?.[1] !== undefined ? decodeURIComponent(azurePath[1]) : undefined;
    const withModel =
      deployment !== undefined && typeof body === "object" && body !== null && (body as { model?: unknown }).model === undefined ? { ...body, model: deployment } : body;
    const parsed = parseOpenAIRequest(withModel);
    if (!parsed.ok) {
      sendError(response, parsed.error);
      return;
    }
    const wire = parsed.request;
    const answer = planFakeAnswer(
      { lastRole: wire.lastRole, lastContent: lastMessageContent(body), toolNames: wire.tools.map((tool) => tool.name) },
      options,
    );
    const plan = fakeAnswerPlan(answer, { id: `chatcmpl-fake-${++served}`, model: wire.model, created: CREATED, usage });
    if (!wire.stream) {
      response.writeHead(200, { "content-type": "application/json" }).end(azure ? renderAzureBody(plan) : renderOpenAIBody(plan));
      return;
    }
    const streamOptions = { includeUsage: wire.includeUsage, lineEnding: "\n" as const, usageOnFinishChunk: true };
    const events = azure ? renderAzureStream(plan, streamOptions) : renderOpenAIStream(plan, streamOptions);
    response.writeHead(200, { "content-type": "text/event-stream; charset=utf-8" });
    for (const event of events) response.write(event.text);
    response.end();
  };

  const upstream = await startFakeUpstream(handle);
  return {
    baseUrl: azure ? upstream.url : `${upstream.url}/v1`,
    requests: upstream.requests,
    close: () => upstream.close(),
  };
}
