import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CompleteDocument } from "../gql/graphql.js";
import { startTestGateway, type TestGateway } from "../helpers/start-test-gateway.js";

/** One group per provider wire format, all simulated; `blind` is a deployment the config says cannot see. */
const CONFIG = `
simulator: { seed: 5 }
models:
  - name: openai
    deployments: [{ id: sim-openai, provider: openai, model: gpt-4o-mini, simulate: { outputTokens: 4 } }]
  - name: azure
    deployments: [{ id: sim-azure, provider: azure, model: gpt-4o-mini, simulate: { outputTokens: 4 } }]
  - name: claude
    deployments: [{ id: sim-anthropic, provider: anthropic, model: claude-3-5-haiku-20241022, simulate: { outputTokens: 4 } }]
  - name: gemini
    deployments: [{ id: sim-gemini, provider: gemini, model: gemini-2.0-flash, simulate: { outputTokens: 4 } }]
  - name: bedrock
    deployments: [{ id: sim-bedrock, provider: bedrock, model: anthropic.claude-3-5-haiku-20241022-v1:0, simulate: { outputTokens: 4 } }]
  - name: ollama
    deployments: [{ id: sim-ollama, provider: ollama, model: llava, simulate: { outputTokens: 4 } }]
  - name: blind
    deployments: [{ id: sim-blind, provider: openai, model: gpt-4o-mini, capabilities: { vision: false }, simulate: { outputTokens: 4 } }]
router:
  backoff: { baseMs: 1, maxMs: 5 }
`;

const MASTER = "sk-master-images";
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
const DATA_URL = `data:image/png;base64,${PNG}`;
const WEB_URL = "https://example.com/cat.jpg";
let gateway: TestGateway;
let openai: OpenAI;

/** The last body the simulator received for a deployment. */
const sentTo = (deployment: string) => gateway.switchyard.simulator!.requests.filter((r) => r.profile === deployment).at(-1)!.body as Record<string, any>;

beforeAll(async () => {
  gateway = await startTestGateway(CONFIG, { masterKey: MASTER });
  openai = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: MASTER, maxRetries: 0 });
});
afterAll(async () => {
  await gateway?.close();
});

const ask = (model: string, url: string) =>
  openai.chat.completions.create({
    model,
    messages: [{ role: "user", content: [{ type: "text", text: "What is in this picture?" }, { type: "image_url", image_url: { url, detail: "low" } }] }],
  });

describe("images in messages, through every door to every provider", () => {
  it("/v1/chat/completions (openai SDK): each provider gets the image in its own wire shape", async () => {
    for (const model of ["openai", "azure", "claude", "gemini", "bedrock", "ollama"]) {
      const answer = await ask(model, DATA_URL);
      expect(answer.choices[0]!.message.content, model).toMatch(/\S/);
    }
    const openaiContent = [{ type: "text", text: "What is in this picture?" }, { type: "image_url", image_url: { url: DATA_URL, detail: "low" } }];
    expect(sentTo("sim-openai").messages[0].content).toEqual(openaiContent);
    expect(sentTo("sim-azure").messages[0].content).toEqual(openaiContent);
    expect(sentTo("sim-anthropic").messages[0].content).toEqual([
      { type: "text", text: "What is in this picture?" },
      { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } },
    ]);
    expect(sentTo("sim-gemini").contents[0].parts).toEqual([{ text: "What is in this picture?" }, { inlineData: { mimeType: "image/png", data: PNG } }]);
    expect(sentTo("sim-bedrock").messages[0].content).toEqual([{ text: "What is in this picture?" }, { image: { format: "png", source: { bytes: PNG } } }]);
    expect(sentTo("sim-ollama").messages[0]).toEqual({ role: "user", content: "What is in this picture?", images: [PNG] });
  });

  it("sends image URLs as URLs where the provider takes them, and refuses them clearly where it does not", async () => {
    await ask("claude", WEB_URL);
    expect(sentTo("sim-anthropic").messages[0].content[1]).toEqual({ type: "image", source: { type: "url", url: WEB_URL } });
    await ask("gemini", WEB_URL);
    expect(sentTo("sim-gemini").contents[0].parts[1]).toEqual({ fileData: { mimeType: "image/jpeg", fileUri: WEB_URL } });
    for (const model of ["bedrock", "ollama"]) {
      const error = await ask(model, WEB_URL).catch((e: unknown) => e);
      expect(error, model).toBeInstanceOf(OpenAI.BadRequestError);
      expect(String((error as Error).message)).toMatch(/base64 data, not URLs/);
    }
  });

  it("refuses images for a deployment that cannot see, naming what the request needs", async () => {
    const error = await ask("blind", DATA_URL).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(String((error as Error).message)).toContain("images");
    expect(gateway.switchyard.simulator!.requests.some((r) => r.profile === "sim-blind")).toBe(false);
  });

  it("/v1/messages (Anthropic SDK): image blocks reach other providers", async () => {
    const anthropic = new Anthropic({ baseURL: gateway.url, apiKey: MASTER, maxRetries: 0 });
    const message = await anthropic.messages.create({
      model: "gemini",
      max_tokens: 20,
      messages: [{ role: "user", content: [{ type: "image", source: { type: "base64", media_type: "image/png", data: PNG } }, { type: "text", text: "Describe it" }] }],
    });
    expect(message.content[0]).toMatchObject({ type: "text" });
    expect(sentTo("sim-gemini").contents[0].parts).toEqual([{ inlineData: { mimeType: "image/png", data: PNG } }, { text: "Describe it" }]);
    await anthropic.messages.create({
      model: "openai",
      max_tokens: 20,
      messages: [{ role: "user", content: [{ type: "image", source: { type: "url", url: WEB_URL } }, { type: "text", text: "Describe it" }] }],
    });
    expect(sentTo("sim-openai").messages[0].content).toEqual([{ type: "image_url", image_url: { url: WEB_URL } }, { type: "text", text: "Describe it" }]);
  });

  it("/v1/responses (openai SDK): input_image parts reach the provider", async () => {
    const response = await openai.responses.create({
      model: "bedrock",
      input: [{ role: "user", content: [{ type: "input_text", text: "Describe it" }, { type: "input_image", image_url: DATA_URL, detail: "auto" }] }],
    });
    expect(response.output_text).toMatch(/\S/);
    expect(sentTo("sim-bedrock").messages[0].content).toEqual([{ text: "Describe it" }, { image: { format: "png", source: { bytes: PNG } } }]);
  });

  it("GraphQL complete: MessageInput parts carry text and images", async () => {
    const result = await gateway.execute(CompleteDocument, {
      input: { model: "claude", messages: [{ role: "USER" as const, parts: [{ text: "Describe it" }, { imageUrl: DATA_URL }] }] },
    });
    expect(result.errors).toBeUndefined();
    expect(sentTo("sim-anthropic").messages[0].content).toEqual([
      { type: "text", text: "Describe it" },
      { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } },
    ]);
    const both = await gateway.execute(CompleteDocument, {
      input: { model: "claude", messages: [{ role: "USER" as const, content: "x", parts: [{ text: "y" }] }] },
    });
    expect(both.errors?.[0]).toMatchObject({ message: expect.stringContaining("content or parts"), extensions: { code: "BAD_USER_INPUT" } });
    const neither = await gateway.execute(CompleteDocument, { input: { model: "claude", messages: [{ role: "USER" as const, parts: [{ detail: "low" }] }] } });
    expect(neither.errors?.[0]?.message).toContain("exactly one of text and imageUrl");
  });
});
