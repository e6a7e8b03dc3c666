import OpenAI from "openai";
import { pino } from "pino";
import { Writable } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import { CallDocument } from "../gql/graphql.js";
import { useTestGateway } from "../helpers/use-test-gateway.js";
import { createTestKey } from "./create-test-key.js";

const MASTER_KEY = "test-master-key-0123456789abcdef";
// "house-model-7" is in no price catalog: without `pricing` its deployments are unpriced.
const CONFIG = `
simulator: { seed: 11 }
models:
  - name: house
    retries: 0
    deployments:
      - id: house-1
        provider: simulator
        model: house-model-7
        simulate: { outputTokens: 5 }
  - name: mixed
    retries: 0
    deployments:
      - id: mixed-unpriced
        provider: simulator
        model: house-model-7
        weight: 1000
        simulate: { outputTokens: 5 }
      - id: mixed-priced
        provider: simulator
        model: house-model-7
        pricing: { inputPerMTok: 1, outputPerMTok: 2 }
        simulate: { outputTokens: 5 }
  - name: allowed
    retries: 0
    deployments:
      - id: allowed-unpriced
        provider: simulator
        model: house-model-7
        allowUnpriced: true
        simulate: { outputTokens: 5 }
router:
  backoff: { baseMs: 1, maxMs: 5 }
`;

const logged: Array<Record<string, unknown>> = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of String(chunk).split("\n")) if (line) logged.push(JSON.parse(line) as Record<string, unknown>);
    done();
  },
});
const gateway = useTestGateway(CONFIG, { masterKey: MASTER_KEY, logger: pino({ level: "warn" }, sink) });
let admin: OpenAI;
let budgeted: OpenAI;
let unbudgeted: OpenAI;

beforeAll(async () => {
  const client = (apiKey: string) => new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey, maxRetries: 0 });
  admin = client(MASTER_KEY);
  budgeted = client((await createTestKey(gateway, { name: "budgeted", budget: { limitUsd: 5, period: "MONTHLY" } })).secret);
  unbudgeted = client((await createTestKey(gateway, { name: "no budget" })).secret);
});

const ask = (client: OpenAI, model: string) => client.chat.completions.create({ model, messages: [{ role: "user", content: "hi" }] });
const callOf = async (id: string) => {
  await gateway.flush();
  return (await gateway.execute(CallDocument, { id: id.replace("chatcmpl-", "") })).data!.call!;
};

describe("unpriced is not free", () => {
  it("names every unpriced deployment in a warning at start", () => {
    const warned = logged.filter((line) => typeof line.msg === "string" && line.msg.includes("no price known")).map((line) => line.deployment);
    expect(warned.sort()).toEqual(["allowed-unpriced", "house-1", "mixed-unpriced"]);
    expect(logged.find((line) => line.deployment === "allowed-unpriced")!.allowUnpriced).toBe(true);
  });

  it("marks the call unpriced in the row and counts it in /metrics", async () => {
    const completion = await unbudgeted.chat.completions.create({ model: "house", messages: [{ role: "user", content: "hi" }] });
    const call = await callOf(completion.id);
    expect(call).toMatchObject({ status: "SUCCESS", unpriced: true, costUsd: 0 });
    const metrics = await (await fetch(`${gateway.url}/metrics`, { headers: { authorization: `Bearer ${MASTER_KEY}` } })).text();
    expect(metrics).toMatch(/switchyard_unpriced_calls_total\{model_group="house",deployment="house-1"\} 1/);
  });

  it("keeps a key with a budget off unpriced deployments, with a typed 403 naming them and the config key", async () => {
    const error = await ask(budgeted, "house").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.PermissionDeniedError);
    const message = (error as Error).message;
    expect(message).toContain("house-1");
    expect(message).toContain("allowUnpriced");
  });

  it("routes a budgeted key to the priced deployment of a mixed group, and charges it", async () => {
    for (let i = 0; i < 3; i++) {
      const call = await callOf((await ask(budgeted, "mixed")).id);
      expect(call.attempts.map((a) => a.deployment)).toEqual(["mixed-priced"]);
      expect(call.unpriced).toBe(false);
      expect(call.costUsd).toBeGreaterThan(0);
    }
    // Without a budget the heavier unpriced deployment is used, and marked.
    const call = await callOf((await ask(unbudgeted, "mixed")).id);
    expect(call).toMatchObject({ deployment: "mixed-unpriced", unpriced: true });
  });

  it("lets a budgeted key use a deployment the config allows unpriced", async () => {
    const call = await callOf((await ask(budgeted, "allowed")).id);
    expect(call).toMatchObject({ status: "SUCCESS", unpriced: true, costUsd: 0 });
  });

  it("leaves admin calls alone (no budget)", async () => {
    expect((await ask(admin, "house")).choices).toHaveLength(1);
  });
});
