import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logging/create-logger.js";
import { startTestGateway, type TestGateway } from "../helpers/start-test-gateway.js";

const MASTER_KEY = "sy-master-request-log-test";
const CONFIG = `
models:
  - name: fast
    aliases: [mini]
    retries: 0
    deployments:
      - { id: sim-fast, provider: simulator, model: gpt-4o-mini, simulate: { outputTokens: 5 } }
`;

const chunks: string[] = [];
const destination = new Writable({
  write(chunk, _encoding, done) {
    chunks.push(String(chunk));
    done();
  },
});
type Line = Record<string, unknown>;
const lines = (): Line[] => chunks.join("").split("\n").filter(Boolean).map((line) => JSON.parse(line) as Line);

let gateway: TestGateway;
let secret: string;
beforeAll(async () => {
  gateway = await startTestGateway(CONFIG, { masterKey: MASTER_KEY, logger: createLogger({ level: "info", format: "json", secrets: [MASTER_KEY], destination: destination as never }) });
  const created = await fetch(`${gateway.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${MASTER_KEY}` },
    body: JSON.stringify({ query: 'mutation { createVirtualKey(input: { name: "logged" }) { secret key { keyPrefix } } }' }),
  });
  secret = ((await created.json()) as { data: { createVirtualKey: { secret: string } } }).data.createVirtualKey.secret;
});
afterAll(async () => gateway?.close());

async function until<T>(find: () => T | undefined): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const found = find();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("no such log line");
}

describe("request log", () => {
  it("writes one line per request with method, path, status, ms, and the call's id, key prefix, group, deployment and attempts", async () => {
    const before = lines().filter((line) => line.msg === "request").length;
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
      body: JSON.stringify({ model: "mini", messages: [{ role: "user", content: "hi" }] }),
    });
    const body = (await response.json()) as { id: string };
    const line = await until(() => lines().find((l) => l.msg === "request" && l.path === "/v1/chat/completions"));
    expect(line).toMatchObject({ level: 30, method: "POST", path: "/v1/chat/completions", status: 200, group: "fast", deployment: "sim-fast", attempts: 1, keyPrefix: secret.slice(0, 12) });
    expect(typeof line.ms).toBe("number");
    expect(body.id).toContain(String(line.callId));
    await fetch(`${gateway.url}/v1/models`, { headers: { authorization: `Bearer ${secret}` } });
    await until(() => lines().find((l) => l.msg === "request" && l.path === "/v1/models"));
    expect(lines().filter((l) => l.msg === "request").length).toBe(before + 2);
  });

  it("gives a GraphQL request's line the call it made, and a Messages request's too", async () => {
    const graphql = await fetch(`${gateway.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
      body: JSON.stringify({ query: 'mutation { complete(input: { model: "mini", messages: [{ role: USER, content: "hi" }] }) { id } }' }),
    });
    const { data } = (await graphql.json()) as { data: { complete: { id: string } } };
    const line = await until(() => lines().find((l) => l.msg === "request" && l.path === "/graphql" && l.callId === data.complete.id));
    expect(line).toMatchObject({ status: 200, group: "fast", deployment: "sim-fast", attempts: 1, keyPrefix: secret.slice(0, 12) });
    const messages = await fetch(`${gateway.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": secret, "anthropic-version": "2023-06-01" },
      body: JSON.stringify({ model: "mini", max_tokens: 16, messages: [{ role: "user", content: "hi" }] }),
    });
    expect(messages.status).toBe(200);
    const messagesLine = await until(() => lines().find((l) => l.msg === "request" && l.path === "/v1/messages"));
    expect(messagesLine).toMatchObject({ status: 200, group: "fast", attempts: 1, keyPrefix: secret.slice(0, 12) });
    expect(typeof messagesLine.callId).toBe("string");
  });

  it("never writes a secret: the key, the master key or the Authorization header", async () => {
    await fetch(`${gateway.url}/graphql`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${MASTER_KEY}` }, body: "{ not json" });
    await until(() => lines().find((l) => l.msg === "request" && l.path === "/graphql" && l.status === 400));
    const text = chunks.join("");
    expect(text).not.toContain(secret);
    expect(text).not.toContain(MASTER_KEY);
  });

  it("reports at shutdown how many call records the call log drained", async () => {
    await gateway.close();
    const drained = await until(() => lines().find((l) => l.msg === "call log drained"));
    expect(drained).toMatchObject({ lost: 0 });
    expect(typeof drained.stored).toBe("number");
  });
});
