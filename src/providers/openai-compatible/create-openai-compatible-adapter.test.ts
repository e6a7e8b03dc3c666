import type { ServerResponse } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ChatRequest } from "../../core/index.js";
import type { HttpClient, HttpResponse, HttpTarget } from "../http/create-http-client.js";
import { startFakeUpstream, type FakeUpstream } from "../http/testing/start-fake-upstream.js";
import { collectEvents, textOf } from "../http/testing/adapter-test-helpers.js";
import { createOpenAICompatibleAdapter } from "./create-openai-compatible-adapter.js";
import { OPENAI_COMPATIBLE_PRESET_NAMES, OPENAI_COMPATIBLE_PRESETS, type OpenAICompatiblePreset } from "./presets.js";
import { startFakeOpenAICompatibleServer } from "./testing/fake-openai-compatible-server.js";

const REQUEST: ChatRequest = { model: "some-model", messages: [{ role: "user", content: "hi" }], maxTokens: 20 };

const COMPLETION = JSON.stringify({
  id: "cmpl-1",
  object: "chat.completion",
  model: "some-model",
  choices: [{ index: 0, message: { role: "assistant", content: "hello" }, finish_reason: "stop" }],
  usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
});

const sendJson = (response: ServerResponse, status: number, body: string) => {
  response.writeHead(status, { "content-type": "application/json" }).end(body);
};

/** An HttpClient that records where the adapter sends, for presets whose real hosts a test must not reach. */
const recordingClient = () => {
  const sent: Array<{ target: HttpTarget; body: unknown; headers: Record<string, string> | undefined }> = [];
  const client: HttpClient = {
    postJson: async (target, body, options) => {
      sent.push({ target, body, headers: options.headers });
      const bytes = Buffer.from(COMPLETION);
      const response: HttpResponse = {
        status: 200,
        headers: {},
        body: (async function* () {
          yield bytes;
        })(),
        text: async () => COMPLETION,
        release: () => {},
        abort: () => {},
      };
      return response;
    },
    close: async () => {},
  };
  return { client, sent };
};

let upstream: FakeUpstream;

beforeAll(async () => {
  upstream = await startFakeUpstream((_request, response) => sendJson(response, 200, COMPLETION));
});
afterAll(async () => {
  await upstream.close();
});
afterEach(() => {
  upstream.requests.length = 0;
});

describe("createOpenAICompatibleAdapter — each preset's URL and auth", () => {
  it.each(OPENAI_COMPATIBLE_PRESET_NAMES)("%s: posts to {its base URL path}/chat/completions with its auth", async (name) => {
    const preset: OpenAICompatiblePreset = OPENAI_COMPATIBLE_PRESETS[name];
    const path = new URL(preset.baseUrl).pathname.replace(/\/+$/, "");
    const keyed = createOpenAICompatibleAdapter({
      provider: "openai-compatible",
      baseUrl: `${upstream.url}${path}`,
      apiKey: `key-${name}`,
      extra: { preset: name },
    });
    await keyed.chat(REQUEST);
    await keyed.close?.();
    expect(upstream.requests[0]?.path).toBe(`${path}/chat/completions`);
    expect(upstream.requests[0]?.headers.authorization).toBe(`Bearer key-${name}`);

    if (preset.auth === "none") {
      const open = createOpenAICompatibleAdapter({ provider: "openai-compatible", baseUrl: `${upstream.url}${path}`, extra: { preset: name } });
      await open.chat(REQUEST);
      await open.close?.();
      expect(upstream.requests[1]?.headers.authorization).toBeUndefined();
    } else {
      expect(() => createOpenAICompatibleAdapter({ provider: "openai-compatible", baseUrl: "", extra: { preset: name } })).toThrow(
        `preset "${name}" needs an apiKey`,
      );
    }
  });

  it.each(OPENAI_COMPATIBLE_PRESET_NAMES)("%s: without a base URL, uses the preset's own", async (name) => {
    const { client, sent } = recordingClient();
    const adapter = createOpenAICompatibleAdapter({ provider: "openai-compatible", baseUrl: "", apiKey: "k", extra: {}, preset: name, httpClient: client });
    const { response } = await adapter.chat(REQUEST);
    expect(response.message.content).toBe("hello");
    const url = new URL(OPENAI_COMPATIBLE_PRESETS[name].baseUrl);
    expect(sent[0]?.target).toEqual({ origin: url.origin, path: `${url.pathname.replace(/\/+$/, "")}/chat/completions` });
  });

  it("infers the preset from a known host and applies its quirks", async () => {
    const { client, sent } = recordingClient();
    const adapter = createOpenAICompatibleAdapter({
      provider: "openai-compatible",
      baseUrl: "https://api.mistral.ai/v1",
      apiKey: "k",
      extra: {},
      httpClient: client,
    });
    await adapter.stream({ ...REQUEST, user: "end-user" });
    expect(sent[0]?.target).toEqual({ origin: "https://api.mistral.ai", path: "/v1/chat/completions" });
    expect(sent[0]?.headers?.authorization).toBe("Bearer k");
    const body = JSON.parse(JSON.stringify(sent[0]?.body)) as Record<string, unknown>;
    expect(body.stream_options).toBeUndefined();
    expect(body.user).toBeUndefined();
    expect(body.max_tokens).toBe(20);
  });

  it("without a preset is the plain OpenAI adapter", async () => {
    const adapter = createOpenAICompatibleAdapter({ provider: "openai-compatible", baseUrl: `${upstream.url}/v1`, extra: {} });
    await adapter.stream({ ...REQUEST, user: "u" }).then((stream) => collectEvents(stream.events).catch(() => []));
    await adapter.close?.();
    const body = JSON.parse(upstream.requests[0]?.body ?? "") as Record<string, unknown>;
    expect(upstream.requests[0]?.path).toBe("/v1/chat/completions");
    expect(body.stream_options).toEqual({ include_usage: true });
    expect(body.user).toBe("u");
  });

  it("lets the deployment's maxTokensField win over the preset's", async () => {
    const { client, sent } = recordingClient();
    const adapter = createOpenAICompatibleAdapter({
      provider: "openai-compatible",
      baseUrl: "",
      apiKey: "k",
      extra: { preset: "mistral", maxTokensField: "max_completion_tokens" },
      httpClient: client,
    });
    await adapter.chat(REQUEST);
    const body = JSON.parse(JSON.stringify(sent[0]?.body)) as Record<string, unknown>;
    expect(body.max_completion_tokens).toBe(20);
    expect(body.max_tokens).toBeUndefined();
  });

  it("accepts an authorization header in extra.headers instead of an apiKey", () => {
    expect(() =>
      createOpenAICompatibleAdapter({ provider: "openai-compatible", baseUrl: "", extra: { preset: "groq", headers: { Authorization: "Bearer t" } } }),
    ).not.toThrow();
  });
});

describe("startFakeOpenAICompatibleServer", () => {
  it("serves text, streams (with and without stream_options), a tool call and an answer to its result", async () => {
    const fake = await startFakeOpenAICompatibleServer();
    const plain = createOpenAICompatibleAdapter({ provider: "openai-compatible", baseUrl: fake.baseUrl, extra: {} });
    const mistralLike = createOpenAICompatibleAdapter({ provider: "openai-compatible", baseUrl: fake.baseUrl, apiKey: "k", extra: { preset: "mistral" } });
    try {
      const text = await plain.chat(REQUEST);
      expect(text.response.message.content).toBe("Hello! How can I help?");
      expect(text.response.usage).toMatchObject({ inputTokens: 12, outputTokens: 7 });
      for (const adapter of [plain, mistralLike]) {
        const events = await collectEvents((await adapter.stream(REQUEST)).events);
        expect(textOf(events)).toBe("Hello! How can I help?");
        expect(events.at(-1)).toMatchObject({ type: "finish", finish: { unified: "stop" }, usage: { inputTokens: 12, outputTokens: 7 } });
      }
      const tools = [{ name: "lookup", parameters: { type: "object" } }];
      const call = await plain.chat({ ...REQUEST, tools });
      expect(call.response.message.toolCalls).toEqual([{ id: "call_fake_1", name: "lookup", arguments: '{"location":"Paris"}' }]);
      const after = await plain.chat({
        ...REQUEST,
        tools,
        messages: [...REQUEST.messages, { role: "assistant", content: null, toolCalls: call.response.message.toolCalls }, { role: "tool", toolCallId: "call_fake_1", content: "42" }],
      });
      expect(after.response.message.content).toBe("The tool said: 42");
    } finally {
      await plain.close?.();
      await mistralLike.close?.();
      await fake.close();
    }
  });
});
