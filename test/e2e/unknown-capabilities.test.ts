import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../helpers/start-test-gateway.js";

// Neither model has tool support recorded in the price catalog: that is "unknown", so both are tried.
// llama3.2 is given a price (a local model is free), which used to leave it with no capabilities at all.
const CONFIG = `
simulator: { seed: 13 }
models:
  - name: local
    retries: 0
    deployments:
      - id: ollama-llama32
        provider: ollama
        model: llama3.2
        pricing: { inputPerMTok: 0, outputPerMTok: 0 }
        simulate: { outputTokens: 5 }
  - name: mistral
    retries: 0
    deployments:
      - id: mistral-small
        provider: openai-compatible
        preset: mistral
        apiKey: test-key
        model: mistral-small-latest
        simulate: { outputTokens: 5 }
router:
  backoff: { baseMs: 1, maxMs: 5 }
`;

let gateway: TestGateway;
let client: OpenAI;
beforeAll(async () => {
  gateway = await startTestGateway(CONFIG);
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: "unused-in-open-mode", maxRetries: 0 });
});
afterAll(async () => {
  await gateway?.close();
});

const tools: OpenAI.ChatCompletionTool[] = [
  { type: "function", function: { name: "get_weather", description: "Weather in a city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } },
];

describe("a capability the catalog does not record is tried", () => {
  for (const model of ["local", "mistral"]) {
    it(`${model}: a tool call goes through`, async () => {
      const completion = await client.chat.completions.create({ model, tools, messages: [{ role: "user", content: "Weather in Oslo?" }] });
      expect(completion.choices[0]!.finish_reason).toBe("tool_calls");
      const call = completion.choices[0]!.message.tool_calls![0]!;
      expect(call.type === "function" && call.function.name).toBe("get_weather");
      expect(JSON.parse(call.type === "function" ? call.function.arguments : "{}")).toHaveProperty("city");
    });
  }
});
