import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { Sha256 } from "@aws-crypto/sha256-js";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ChatRequest } from "../../core/index.js";
import type { HttpClient, HttpResponse, PostJsonOptions } from "../http/create-http-client.js";
import { startFakeUpstream, type FakeUpstream, type RecordedRequest } from "../http/testing/start-fake-upstream.js";
import type { ProviderAdapter } from "../spec.js";
import { createBedrockAdapter } from "./create-bedrock-adapter.js";
import { providerFailure as failure } from "../http/testing/adapter-test-helpers.js";
import { expectRefusedConnection, expectSilentUpstreamTimesOut } from "../http/testing/stream-transport-checks.js";

const fixture = (name: string): Buffer => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

const MODEL = "anthropic.claude-3-5-sonnet-20240620-v1:0";
const NOW = Date.UTC(2025, 0, 1, 12, 30, 45);
const CREDENTIALS = { accessKeyId: "AKID", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };
const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=AKID\/(\d{8})\/(us-east-1)\/bedrock\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;

const REQUEST: ChatRequest = {
  model: MODEL,
  messages: [
    { role: "system", content: "You are terse." },
    { role: "user", content: "Weather in Zürich? 日本 🚀" },
    { role: "assistant", content: null, toolCalls: [{ id: "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", name: "get_weather", arguments: '{"city":"Zürich"}' }] },
    { role: "tool", toolCallId: "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", content: '{"temp_c":21}' },
  ],
  tools: [{ name: "get_weather", description: "Get weather", parameters: { type: "object", properties: { city: { type: "string" } } } }],
  toolChoice: "auto",
  maxTokens: 100,
  providerOptions: { bedrock: { top_k: 50 } },
};

const sendJson = (response: ServerResponse, status: number, body: Buffer, headers: Record<string, string> = {}) => {
  response.writeHead(status, { "content-type": "application/json", "x-amzn-requestid": "req-123", ...headers }).end(body);
};

let upstream: FakeUpstream;
let adapter: ProviderAdapter;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  adapter = createBedrockAdapter({
    provider: "bedrock",
    baseUrl: upstream.url,
    extra: { region: "us-east-1", ...CREDENTIALS },
    now: () => NOW,
  });
});
afterAll(async () => {
  await adapter.close?.();
  await upstream.close();
});
afterEach(() => {
  upstream.requests.length = 0;
});


/**
 * Signs the request the fake server received again, from its own bytes and the headers the
 * signature names, with the same clock. `x-amz-content-sha256` is left out so the signer hashes
 * the received body itself.
 */
const resign = async (recorded: RecordedRequest, body = recorded.body, credentials: Record<string, string> = CREDENTIALS): Promise<string> => {
  const match = AUTHORIZATION.exec(String(recorded.headers.authorization));
  if (match === null) throw new Error(`unexpected authorization header: ${String(recorded.headers.authorization)}`);
  const names = (match[3] ?? "").split(";").filter((name) => name !== "x-amz-content-sha256" && name !== "x-amz-date");
  const headers = Object.fromEntries(names.map((name) => [name, String(recorded.headers[name])]));
  const signer = new SignatureV4({ service: "bedrock", region: "us-east-1", credentials: { accessKeyId: "AKID", secretAccessKey: credentials.secretAccessKey ?? "", ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}) }, sha256: Sha256 });
  const request = new HttpRequest({ method: recorded.method, hostname: "127.0.0.1", path: recorded.path, headers, body });
  const signed = await signer.sign(request, { signingDate: new Date(NOW) });
  return signed.headers.authorization ?? "";
};

describe("createBedrockAdapter — chat()", () => {
  it("POSTs a SigV4-signed Converse request to the URL-encoded model path and returns the answer", async () => {
    upstream.handle((_request, response) => sendJson(response, 200, fixture("converse-text.json")));
    const result = await adapter.chat(REQUEST, { headers: { "X-Trace": "t-1" } });

    const sent = upstream.requests[0];
    if (sent === undefined) throw new Error("nothing was sent");
    expect(sent.method).toBe("POST");
    expect(sent.path).toBe("/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse");
    expect(sent.headers["content-type"]).toBe("application/json");
    expect(sent.headers["x-trace"]).toBe("t-1");
    expect(sent.headers["x-amz-date"]).toBe("20250101T123045Z");
    expect(sent.headers["x-amz-content-sha256"]).toBe(createHash("sha256").update(Buffer.from(sent.body, "utf8")).digest("hex"));
    expect(sent.headers["x-amz-security-token"]).toBeUndefined();
    const match = AUTHORIZATION.exec(String(sent.headers.authorization));
    expect(match?.[1]).toBe("20250101");
    const signedHeaders = (match?.[3] ?? "").split(";");
    expect(signedHeaders).toEqual(expect.arrayContaining(["content-type", "host", "x-amz-date", "x-trace"]));
    expect(sent.headers.host).toBe(new URL(upstream.url).host);

    // The signature covers exactly the bytes and headers that arrived; a changed body would not match.
    expect(await resign(sent)).toBe(sent.headers.authorization);
    expect(await resign(sent, sent.body.replace("Zürich", "Zurich"))).not.toBe(sent.headers.authorization);

    expect(JSON.parse(sent.body)).toEqual({
      messages: [
        { role: "user", content: [{ text: "Weather in Zürich? 日本 🚀" }] },
        { role: "assistant", content: [{ toolUse: { toolUseId: "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", name: "get_weather", input: { city: "Zürich" } } }] },
        { role: "user", content: [{ toolResult: { toolUseId: "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", content: [{ json: { temp_c: 21 } }] } }] },
      ],
      system: [{ text: "You are terse." }],
      inferenceConfig: { maxTokens: 100 },
      toolConfig: {
        tools: [{ toolSpec: { name: "get_weather", description: "Get weather", inputSchema: { json: { type: "object", properties: { city: { type: "string" } } } } } }],
        toolChoice: { auto: {} },
      },
      additionalModelRequestFields: { top_k: 50 },
    });

    expect(result).toEqual({
      response: {
        id: "req-123",
        model: MODEL,
        message: { role: "assistant", content: 'There are **3** "r"s in "strawberry."', toolCalls: [] },
        finish: { unified: "stop", raw: "end_turn" },
        usage: { inputTokens: 22, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 57, reasoningTokens: 0 },
      },
    });
  });

  it("returns tool calls with cache-read and cache-write tokens counted in the input", async () => {
    upstream.handle((_request, response) => sendJson(response, 200, fixture("converse-tool-use.json")));
    const { response, rateLimit } = await adapter.chat(REQUEST);
    expect(rateLimit).toBeUndefined();
    expect(response.message.toolCalls).toEqual([
      { id: "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", name: "get_weather", arguments: '{"city":"Paris"}' },
      { id: "tooluse_2Xq9bT0vRzO1m3cY7pLk4A", name: "get_time", arguments: '{"tz":"Europe/Paris"}' },
    ]);
    expect(response.finish).toEqual({ unified: "tool_calls", raw: "tool_use" });
    expect(response.usage).toEqual({ inputTokens: 3012, cachedInputTokens: 2800, cacheWriteTokens: 200, outputTokens: 94, reasoningTokens: 0 });
  });

  it("sends and signs the session token of temporary credentials", async () => {
    const temporary = { accessKeyId: "AKID", secretAccessKey: "temp-secret", sessionToken: "FwoGZXIvYXdzEBYaDHZ+token/with=chars" };
    const local = createBedrockAdapter({ provider: "bedrock", baseUrl: upstream.url, extra: { region: "us-east-1", ...temporary }, now: () => NOW });
    upstream.handle((_request, response) => sendJson(response, 200, fixture("converse-text.json")));
    await local.chat({ model: "amazon.nova-lite-v1:0", messages: [{ role: "user", content: "hi" }] });
    await local.close?.();
    const sent = upstream.requests[0];
    if (sent === undefined) throw new Error("nothing was sent");
    expect(sent.path).toBe("/model/amazon.nova-lite-v1%3A0/converse");
    expect(sent.headers["x-amz-security-token"]).toBe(temporary.sessionToken);
    expect(String(sent.headers.authorization)).toContain("x-amz-security-token");
    expect(await resign(sent, sent.body, temporary)).toBe(sent.headers.authorization);
  });

  it("sends a Bedrock API key as a bearer token instead of signing", async () => {
    const local = createBedrockAdapter({ provider: "bedrock", baseUrl: `${upstream.url}/`, apiKey: "bedrock-api-key-123", extra: { ...CREDENTIALS } });
    upstream.handle((_request, response) => sendJson(response, 200, fixture("converse-text.json")));
    await local.chat({ model: "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet", messages: [{ role: "user", content: "hi" }] });
    await local.close?.();
    const sent = upstream.requests[0];
    expect(sent?.headers.authorization).toBe("Bearer bedrock-api-key-123");
    expect(sent?.headers["x-amz-date"]).toBeUndefined();
    expect(sent?.path).toBe("/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.anthropic.claude-3-5-sonnet/converse");
  });

  it("calls a 200 body that is not JSON, or not a Converse body, an invalid response", async () => {
    upstream.handle((_request, response) => sendJson(response, 200, Buffer.from("<html>oops</html>")));
    expect((await failure(adapter.chat(REQUEST))).kind).toBe("invalid_response");
    upstream.handle((_request, response) => sendJson(response, 200, Buffer.from('{"output":{}}')));
    const error = await failure(adapter.chat(REQUEST));
    expect(error.kind).toBe("invalid_response");
    expect(error.retryable).toBe(true);
  });
});

describe("createBedrockAdapter — settings", () => {
  const recordingClient = () => {
    const calls: { target: unknown; body: unknown; options: PostJsonOptions }[] = [];
    const response: HttpResponse = {
      status: 200,
      headers: {},
      body: (async function* () {})(),
      text: async () => fixture("converse-text.json").toString("utf8"),
      release: () => {},
      abort: () => {},
    };
    const client: HttpClient = {
      postJson: async (target, body, options) => {
        calls.push({ target, body, options });
        return response;
      },
      close: async () => {},
    };
    return { client, calls };
  };
  const hi: ChatRequest = { model: "meta.llama3-70b-instruct-v1:0", messages: [{ role: "user", content: "hi" }] };

  it("defaults the endpoint to the region's bedrock-runtime host, signed for that region", async () => {
    const { client, calls } = recordingClient();
    const local = createBedrockAdapter({ provider: "bedrock", baseUrl: "", extra: { region: "eu-west-3", ...CREDENTIALS }, httpClient: client, now: () => NOW });
    await local.chat(hi);
    expect(calls[0]?.target).toEqual({ origin: "https://bedrock-runtime.eu-west-3.amazonaws.com", path: "/model/meta.llama3-70b-instruct-v1%3A0/converse" });
    expect(calls[0]?.options.headers?.host).toBe("bedrock-runtime.eu-west-3.amazonaws.com");
    expect(calls[0]?.options.headers?.authorization).toContain("/20250101/eu-west-3/bedrock/aws4_request");
    expect(typeof calls[0]?.body).toBe("string");
  });

  it("reads the region from an AWS baseUrl when none is set", async () => {
    const { client, calls } = recordingClient();
    const local = createBedrockAdapter({ provider: "bedrock", baseUrl: "https://bedrock-runtime.ap-northeast-1.amazonaws.com", extra: { ...CREDENTIALS }, httpClient: client });
    await local.chat(hi);
    expect(calls[0]?.options.headers?.authorization).toContain("/ap-northeast-1/bedrock/aws4_request");
  });

  it("fails calls, sending nothing, when credentials or the region are missing", async () => {
    const { client, calls } = recordingClient();
    const noKeys = createBedrockAdapter({ provider: "bedrock", baseUrl: "", extra: { region: "us-east-1" }, httpClient: client });
    const error = await failure(noKeys.chat(hi));
    expect(error.kind).toBe("auth");
    expect(error.retryable).toBe(false);
    const noRegion = createBedrockAdapter({ provider: "bedrock", baseUrl: "", extra: { ...CREDENTIALS }, httpClient: client });
    expect((await failure(noRegion.stream(hi))).retryable).toBe(false);
    const proxyNoRegion = createBedrockAdapter({ provider: "bedrock", baseUrl: "http://proxy.internal:8080", extra: { ...CREDENTIALS }, httpClient: client });
    expect((await failure(proxyNoRegion.chat(hi))).kind).toBe("bad_request");
    expect(calls).toHaveLength(0);
  });
});

describe("createBedrockAdapter — errors", () => {
  it.each<[number, string, string, string, boolean]>([
    [400, "ValidationException", "error-400-validation.json", "bad_request", false],
    [400, "ValidationException", "error-400-input-too-long.json", "context_window", false],
    [403, "AccessDeniedException", "error-403-access-denied.json", "auth", false],
    [403, "UnrecognizedClientException", "error-403-unrecognized-client.json", "auth", false],
    [404, "ResourceNotFoundException", "error-404-resource-not-found.json", "not_found", false],
    [408, "ModelTimeoutException", "error-408-model-timeout.json", "timeout", true],
    [424, "ModelErrorException", "error-424-model-error.json", "server", true],
    [429, "ThrottlingException", "error-429-throttling.json", "rate_limit", true],
    [429, "ModelNotReadyException", "error-429-model-not-ready.json", "overloaded", true],
    [500, "InternalServerException", "error-500-internal.json", "server", true],
    [503, "ServiceUnavailableException", "error-503-service-unavailable.json", "overloaded", true],
  ])("HTTP %d %s (%s) rejects chat() and stream() as %s", async (status, type, name, kind, retryable) => {
    upstream.handle((_request, response) =>
      sendJson(response, status, fixture(name), { "x-amzn-errortype": `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/` }),
    );
    for (const call of [adapter.chat(REQUEST), adapter.stream(REQUEST)]) {
      const error = await failure(call);
      expect(error.kind).toBe(kind);
      expect(error.status).toBe(status);
      expect(error.code).toBe(type);
      expect(error.retryable).toBe(retryable);
      expect(error.provider).toBe("bedrock");
    }
    expect(upstream.requests.map((request) => request.path.split("/").at(-1))).toEqual(["converse", "converse-stream"]);
  });

  it("maps a refused connection to `connection`", async () => {
    await expectRefusedConnection((baseUrl) => createBedrockAdapter({ provider: "bedrock", baseUrl, extra: { region: "us-east-1", ...CREDENTIALS } }), REQUEST);
  });

  it("maps timeoutMs on a server that never answers to `timeout`, for chat() and stream()", async () => {
    await expectSilentUpstreamTimesOut(adapter, REQUEST, upstream);
  });
});
