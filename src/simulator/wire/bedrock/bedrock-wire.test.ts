import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import { describe, expect, it } from "vitest";
import type { SimulatorOptions, SimulatorProfile } from "../../index.js";
import { complete, PROMPT_TOKENS, useSimulators } from "../../simulator.test-helpers.js";
import { decodeFrames, describeFrame, post, readBytesUntilError } from "../wire.test-helpers.js";

const start = useSimulators();
const MODEL_ID = "anthropic.claude-3-5-sonnet-20240620-v1:0";
const CONVERSE = `/model/${encodeURIComponent(MODEL_ID)}/converse`;
const CONVERSE_STREAM = `/model/${encodeURIComponent(MODEL_ID)}/converse-stream`;
/** Shaped like SigV4; the simulator checks the shape, not the signature. */
const AWS_HEADERS = {
  authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/us-east-1/bedrock/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=00",
  "x-amz-date": "20250101T000000Z",
};
const TOOL_CONFIG = {
  tools: [
    { toolSpec: { name: "get_weather", inputSchema: { json: { type: "object", properties: { city: { type: "string" }, days: { type: "integer" } } } } } },
  ],
};
const body = (extra: Record<string, unknown> = {}) => ({
  system: [{ text: "You are terse." }],
  messages: [{ role: "user", content: [{ text: "hello there" }] }],
  ...extra,
});

interface ConverseShape {
  output: { message: { role: string; content: Array<{ text?: string; toolUse?: { toolUseId: string; name: string; input: unknown } }> } };
  stopReason: string;
  usage: { inputTokens: number; outputTokens: number; totalTokens: number; cacheReadInputTokens: number };
  metrics: { latencyMs: number };
}

const send = (url: string, path: string, extra: Record<string, unknown> = {}) => post(url, path, body(extra), AWS_HEADERS);

async function converse(url: string, extra: Record<string, unknown> = {}): Promise<ConverseShape> {
  const response = await send(url, CONVERSE, extra);
  expect(response.status).toBe(200);
  return (await response.json()) as ConverseShape;
}

async function streamFrames(url: string, extra: Record<string, unknown> = {}, path = CONVERSE_STREAM) {
  const response = await send(url, path, extra);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("application/vnd.amazon.eventstream");
  return decodeFrames(new Uint8Array(await response.arrayBuffer())).map(describeFrame);
}

/** Event payloads without the service's `p` padding, which clients drop. */
const payloadOf = (frame: { payload: string }): Record<string, unknown> => {
  const { p, ...rest } = JSON.parse(frame.payload) as Record<string, unknown>;
  expect(typeof p).toBe("string");
  return rest;
};

const withProfile = (profile: SimulatorProfile, options: SimulatorOptions = {}) => start({ ...options, defaultProfile: profile });

describe("bedrock converse", () => {
  it("answers the Converse shape for a URL-encoded model id, with a UUID request id", async () => {
    const simulator = await start({ seed: 4 });
    const response = await send(simulator.url, CONVERSE);
    expect(response.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const result = (await response.json()) as ConverseShape;
    expect(result.output.message.role).toBe("assistant");
    expect(result.stopReason).toBe("end_turn");
    expect(result.usage).toEqual({ inputTokens: PROMPT_TOKENS, outputTokens: 16, totalTokens: PROMPT_TOKENS + 16, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 });
    expect(result.metrics.latencyMs).toBeGreaterThan(0);
    expect(simulator.requests[0]!.path).toBe(CONVERSE);

    const openai = await start({ seed: 4 });
    expect(result.output.message.content[0]!.text).toBe((await complete(openai.url, {})).choices[0]!.message.content);
  });

  it("maps max tokens and stop sequences to stopReason", async () => {
    const first = await start({ seed: 5 });
    const full = (await converse(first.url)).output.message.content[0]!.text!;
    const limited = await converse(first.url, { inferenceConfig: { maxTokens: 2 } });
    expect(limited.stopReason).toBe("max_tokens");
    expect(limited.usage.outputTokens).toBe(2);
    const stop = ` ${full.split(" ")[2]}`;
    const again = await start({ seed: 5 });
    const stopped = await converse(again.url, { inferenceConfig: { stopSequences: [stop] } });
    expect(stopped.stopReason).toBe("stop_sequence");
    expect(stopped.output.message.content[0]!.text).toBe(full.slice(0, full.indexOf(stop)));
  });

  it("accepts a request signed by @smithy/signature-v4", async () => {
    const simulator = await start();
    const { hostname, port } = new URL(simulator.url);
    const payload = JSON.stringify(body());
    const signer = new SignatureV4({
      service: "bedrock",
      region: "us-east-1",
      sha256: Sha256,
      credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
    });
    const signed = await signer.sign({
      method: "POST",
      protocol: "http:",
      hostname,
      port: Number(port),
      path: CONVERSE,
      query: {},
      headers: { host: `${hostname}:${port}`, "content-type": "application/json" },
      body: payload,
    });
    const { host: _host, ...headers } = signed.headers;
    const response = await post(simulator.url, CONVERSE, payload, headers);
    expect(response.status).toBe(200);
    await response.arrayBuffer();
  });
});

describe("bedrock converse-stream", () => {
  it("sends binary frames with valid CRCs: messageStart, deltas, contentBlockStop, messageStop, metadata", async () => {
    const simulator = await withProfile({ outputTokens: 4, chunkBytes: 13 }, { seed: 6 });
    const frames = await streamFrames(simulator.url);
    expect(frames.every((f) => f.messageType === "event" && f.contentType === "application/json")).toBe(true);
    expect(frames.map((f) => f.type)).toEqual([
      "messageStart", "contentBlockDelta", "contentBlockDelta", "contentBlockDelta", "contentBlockDelta",
      "contentBlockStop", "messageStop", "metadata",
    ]);
    const payloads = frames.map(payloadOf);
    expect(payloads[0]).toEqual({ role: "assistant" });
    expect(payloads.at(-2)).toEqual({ stopReason: "end_turn" });
    expect(payloads.at(-1)).toMatchObject({ usage: { inputTokens: PROMPT_TOKENS, outputTokens: 4, totalTokens: PROMPT_TOKENS + 4 }, metrics: {} });
    const text = payloads.slice(1, 5).map((p) => (p as { delta: { text: string } }).delta.text).join("");

    const plain = await withProfile({ outputTokens: 4 }, { seed: 6 });
    expect(text).toBe((await converse(plain.url)).output.message.content[0]!.text);
  });

  it("paces binary frames and still sends every one", async () => {
    const simulator = await withProfile({ outputTokens: 5, tokensPerSecond: 500 });
    const frames = await streamFrames(simulator.url);
    expect(frames.map((f) => f.type).filter((t) => t === "contentBlockDelta")).toHaveLength(5);
    expect(frames.at(-1)!.type).toBe("metadata");
  });
});

describe("bedrock tool use", () => {
  it("answers a toolUse block (input an object), streams it with contentBlockStart and input fragments, then text after a toolResult", async () => {
    const simulator = await start();
    const called = await converse(simulator.url, { toolConfig: TOOL_CONFIG });
    expect(called.stopReason).toBe("tool_use");
    const toolUse = called.output.message.content[0]!.toolUse!;
    expect(toolUse).toEqual({ toolUseId: expect.stringMatching(/^tooluse_[A-Za-z0-9]{24}$/), name: "get_weather", input: { city: "sample", days: 1 } });

    const payloads = (await streamFrames(simulator.url, { toolConfig: TOOL_CONFIG })).map(payloadOf);
    expect(payloads[1]).toEqual({ contentBlockIndex: 0, start: { toolUse: { toolUseId: expect.stringMatching(/^tooluse_/), name: "get_weather" } } });
    const input = payloads.slice(2, -3).map((p) => (p as { delta: { toolUse: { input: string } } }).delta.toolUse.input).join("");
    expect(JSON.parse(input)).toEqual({ city: "sample", days: 1 });
    expect(payloads.at(-2)).toEqual({ stopReason: "tool_use" });

    const forced = await converse(simulator.url, { toolConfig: { ...TOOL_CONFIG, toolChoice: { tool: { name: "get_weather" } } } });
    expect(forced.stopReason).toBe("tool_use");
    const roundTrip = await converse(simulator.url, {
      toolConfig: TOOL_CONFIG,
      messages: [
        { role: "user", content: [{ text: "weather?" }] },
        { role: "assistant", content: [{ toolUse }] },
        { role: "user", content: [{ toolResult: { toolUseId: toolUse.toolUseId, content: [{ json: { temp_c: 21 } }], status: "success" } }] },
      ],
    });
    expect(roundTrip.stopReason).toBe("end_turn");
  });
});

describe("bedrock failures and refusals", () => {
  it("HTTP errors carry x-amzn-ErrorType: 429 ThrottlingException, 500 InternalServerException, 503 ServiceUnavailableException", async () => {
    const simulator = await start({
      profiles: { e429: { failures: { rateLimit: 1 } }, e500: { failures: { serverError: 1 } }, e503: { failures: { unavailable: 1 } } },
    });
    for (const [profile, status, type] of [["e429", 429, "ThrottlingException"], ["e500", 500, "InternalServerException"], ["e503", 503, "ServiceUnavailableException"]] as const) {
      const response = await send(simulator.url, `/p/${profile}${CONVERSE_STREAM}`);
      expect(response.status).toBe(status);
      expect(response.headers.get("x-amzn-errortype")).toBe(`${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`);
      expect(await response.json()).toEqual({ message: expect.any(String) });
    }
  });

  it("mid-stream error: an exception frame after some events, with no messageStop", async () => {
    const simulator = await withProfile({ failures: { midStreamError: 1 } });
    const frames = await streamFrames(simulator.url);
    const last = frames.at(-1)!;
    expect(last).toMatchObject({ messageType: "exception", type: "serviceUnavailableException", contentType: "application/json" });
    expect(JSON.parse(last.payload)).toEqual({ message: expect.any(String) });
    expect(frames.some((f) => f.type === "contentBlockDelta")).toBe(true);
    expect(frames.some((f) => f.type === "messageStop")).toBe(false);
  });

  it("truncate: whole frames, then the connection drops before messageStop and metadata", async () => {
    const simulator = await withProfile({ failures: { truncate: 1 } });
    const response = await send(simulator.url, CONVERSE_STREAM);
    const { bytes, error } = await readBytesUntilError(response);
    expect(error).toBeDefined();
    const types = decodeFrames(bytes).map((m) => describeFrame(m).type);
    expect(types[0]).toBe("messageStart");
    expect(types.length).toBeGreaterThanOrEqual(5);
    expect(types).not.toContain("messageStop");
    expect(types).not.toContain("metadata");
  });

  it("garbage: a well-framed delta whose payload is not JSON", async () => {
    const simulator = await withProfile({ failures: { garbage: 1 } });
    const frames = await streamFrames(simulator.url);
    expect(frames).toContainEqual({ messageType: "event", type: "contentBlockDelta", contentType: "application/json", payload: "{not json" });
    expect(frames.at(-1)!.type).toBe("metadata");
  });

  it("requires SigV4-shaped auth (or the configured key as a Bearer token)", async () => {
    const simulator = await start({ apiKey: "bedrock-key" });
    const none = await post(simulator.url, CONVERSE, body());
    expect(none.status).toBe(403);
    expect(none.headers.get("x-amzn-errortype")).toMatch(/^MissingAuthenticationTokenException:/);
    const noDate = await post(simulator.url, CONVERSE, body(), { authorization: AWS_HEADERS.authorization });
    expect(noDate.status).toBe(403);
    expect(noDate.headers.get("x-amzn-errortype")).toMatch(/^IncompleteSignatureException:/);
    const wrongBearer = await post(simulator.url, CONVERSE, body(), { authorization: "Bearer other" });
    expect(wrongBearer.status).toBe(403);
    expect(await wrongBearer.json()).toEqual({ message: "The security token included in the request is invalid." });
    expect((await post(simulator.url, CONVERSE, body(), { authorization: "Bearer bedrock-key" })).status).toBe(200);
    expect((await send(simulator.url, CONVERSE)).status).toBe(200);
  });

  it("rejects bad bodies with 400 ValidationException and unknown profiles with 404 ResourceNotFoundException", async () => {
    const simulator = await start();
    for (const bad of [{ messages: [] }, { messages: [{ role: "user", content: "not a list" }] }, "{not json"]) {
      const response = await post(simulator.url, CONVERSE, bad, AWS_HEADERS);
      expect(response.status).toBe(400);
      expect(response.headers.get("x-amzn-errortype")).toMatch(/^ValidationException:/);
      expect(await response.json()).toEqual({ message: expect.any(String) });
    }
    const unknown = await send(simulator.url, `/p/nope${CONVERSE}`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("x-amzn-errortype")).toMatch(/^ResourceNotFoundException:/);
  });
});
