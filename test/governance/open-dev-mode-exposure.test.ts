import { mkdtempSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { startSwitchyard } from "../../src/app/start-switchyard.js";
import type { Switchyard } from "../../src/app/switchyard.js";
import { ConfigError, loadConfig } from "../../src/config/index.js";
import { queryRows } from "../../src/db/index.js";
import { useTestDatabase } from "../helpers/use-test-database.js";
import { MASTER_KEY } from "./governance-config.js";

const MODELS = `
models:
  - name: fast
    retries: 0
    deployments:
      - { id: sim-fast, provider: simulator, model: gpt-4o-mini, simulate: { outputTokens: 5 } }
`;

const testDatabase = useTestDatabase();
const stateDir = mkdtempSync(join(tmpdir(), "switchyard-exposure-"));
const started: Switchyard[] = [];

/** The gateway as `npm start` runs it: the listening address comes from the config alone. */
async function start(server: string, masterKey?: string): Promise<Switchyard> {
  const config = loadConfig({ text: `server: { port: 0, ${server} }\n${MODELS}`, env: {} });
  const switchyard = await startSwitchyard({
    config,
    logger: pino({ level: "silent" }),
    database: testDatabase.database,
    stateDir,
    ...(masterKey ? { masterKey } : {}),
  });
  started.push(switchyard);
  return switchyard;
}

/** The HTTP status of a graphql-ws upgrade: 101 when the socket opened, else the refusal's status. */
function upgradeStatus(switchyard: Switchyard, origin?: string): Promise<number> {
  const socket = new WebSocket(`${switchyard.url.replace(/^http/, "ws")}/graphql`, "graphql-transport-ws", origin === undefined ? {} : { origin });
  return new Promise((resolve, reject) => {
    socket.once("open", () => {
      socket.close();
      resolve(101);
    });
    socket.once("unexpected-response", (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.once("error", reject);
  });
}

const CREATE_KEY = JSON.stringify({ query: "mutation { createVirtualKey(input: { name: \"stolen\" }) { secret } }" });

let open: Switchyard;
beforeAll(async () => {
  open = await start("");
});
afterAll(async () => {
  for (const switchyard of started) await switchyard.close();
  rmSync(stateDir, { recursive: true, force: true });
});

describe("where the gateway listens", () => {
  it("binds 127.0.0.1 when server.host is not set, and says so", () => {
    const address = open.server.httpServer.address() as { address: string; port: number };
    expect(address.address).toBe("127.0.0.1");
    expect(open.listening).toBe(`127.0.0.1:${address.port}`);
    expect(open.url).toBe(`http://127.0.0.1:${address.port}`);
  });

  it("refuses a non-loopback host in open dev mode with a config error naming server.host", async () => {
    const failure = await start("host: 0.0.0.0").catch((error: unknown) => error);
    expect(ConfigError.isInstance(failure)).toBe(true);
    expect((failure as ConfigError).problems).toEqual([expect.stringMatching(/^server\.host: "0\.0\.0\.0" .*server\.allowOpenModeOnNetwork: true/)]);
  });

  it("starts on every interface when the risk is accepted, or with a master key, and tells the truth about it", async () => {
    for (const switchyard of [await start("host: 0.0.0.0, allowOpenModeOnNetwork: true"), await start("host: 0.0.0.0", MASTER_KEY)]) {
      const { address, port } = switchyard.server.httpServer.address() as { address: string; port: number };
      expect(address).toBe("0.0.0.0");
      expect(switchyard.listening).toBe(`0.0.0.0:${port}`);
      expect((await fetch(`${switchyard.url}/healthz`)).status).toBe(200);
    }
  });
});

describe("browser origins in open dev mode", () => {
  it("refuses a cross-site WebSocket at the upgrade (403)", async () => {
    expect(await upgradeStatus(open, "http://evil.example")).toBe(403);
    expect(await upgradeStatus(open, "null")).toBe(403);
    expect(await upgradeStatus(open, "http://localhost.evil.example")).toBe(403);
  });

  it("accepts loopback origins on any port, and clients that send no Origin", async () => {
    for (const origin of ["http://localhost:5173", `http://127.0.0.1:${new URL(open.url).port}`, "http://[::1]:8080", "https://localhost"]) {
      expect(await upgradeStatus(open, origin)).toBe(101);
    }
    expect(await upgradeStatus(open)).toBe(101);
  });

  it("refuses a POST from a foreign page before it does anything, in the door's error shape", async () => {
    const keysBefore = await countRows("virtual_keys");
    const graphql = await fetch(`${open.url}/graphql`, { method: "POST", headers: { origin: "http://evil.example", "content-type": "application/json" }, body: CREATE_KEY });
    expect(graphql.status).toBe(403);
    expect(await graphql.json()).toEqual({ errors: [{ message: expect.stringContaining("http://evil.example"), extensions: { code: "FORBIDDEN" } }] });
    const form = await fetch(`${open.url}/graphql`, { method: "POST", headers: { origin: "http://evil.example", "content-type": "text/plain" }, body: CREATE_KEY });
    expect(form.status).toBe(403);
    const v1 = await fetch(`${open.url}/v1/chat/completions`, { method: "POST", headers: { origin: "http://evil.example", "content-type": "application/json" }, body: chatBody() });
    expect(v1.status).toBe(403);
    expect(((await v1.json()) as { error: { code: string } }).error.code).toBe("forbidden");
    expect(await countRows("virtual_keys")).toBe(keysBefore);

    // A form or a no-cors fetch may omit Origin in some browsers: GraphQL over HTTP refuses simple bodies anyway.
    const formWithoutOrigin = await fetch(`${open.url}/graphql`, { method: "POST", headers: { "content-type": "text/plain" }, body: CREATE_KEY });
    expect(formWithoutOrigin.status).toBe(400);
    expect(await countRows("virtual_keys")).toBe(keysBefore);

    const local = await fetch(`${open.url}/graphql`, { method: "POST", headers: { origin: "http://localhost:3000", "content-type": "application/json" }, body: CREATE_KEY });
    expect(((await local.json()) as { data: { createVirtualKey: { secret: string } } }).data.createVirtualKey.secret).toMatch(/^sk-sy-/);
  });
});

describe("Host names in open dev mode", () => {
  it("answers only requests addressed to this machine, so a rebound DNS name cannot read calls", async () => {
    const query = `/graphql?query=${encodeURIComponent("{ calls(first: 1) { edges { node { id } } } }")}`;
    const port = new URL(open.url).port;
    const rebound = await getWithHost(open, query, `rebound.evil.example:${port}`);
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body)).toEqual({ errors: [{ message: expect.stringContaining("rebound.evil.example"), extensions: { code: "FORBIDDEN" } }] });
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
      expect((await getWithHost(open, query, host)).status, host).toBe(200);
    }
    const onNetwork = await start("host: 0.0.0.0, allowOpenModeOnNetwork: true");
    expect((await getWithHost(onNetwork, "/healthz", "gateway.lan:4000")).status).toBe(200);
  });
});

describe("/v1 bodies", () => {
  it("accepts only application/json (415 in OpenAI's shape otherwise) and records nothing for a refused body", async () => {
    await open.callLog.flush();
    const callsBefore = await countRows("calls");
    for (const contentType of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain; application/json", undefined]) {
      const response = await fetch(`${open.url}/v1/chat/completions`, {
        method: "POST",
        headers: contentType === undefined ? {} : { "content-type": contentType },
        body: new Blob([chatBody()]),
      });
      expect(response.status, String(contentType)).toBe(415);
      expect(await response.json()).toEqual({ error: { message: expect.stringContaining("application/json"), type: "invalid_request_error", param: null, code: "unsupported_media_type" } });
    }
    await open.callLog.flush();
    expect(await countRows("calls")).toBe(callsBefore);
    for (const contentType of ["application/json; charset=utf-8", "Application/JSON"]) {
      const response = await fetch(`${open.url}/v1/chat/completions`, { method: "POST", headers: { "content-type": contentType }, body: chatBody() });
      expect(response.status, contentType).toBe(200);
    }
  });
});

describe("server.allowedOrigins", () => {
  it("allows exactly the listed origins (and no Origin), with or without a master key", async () => {
    const listed = await start('allowedOrigins: ["https://app.example.com"]', MASTER_KEY);
    expect(await upgradeStatus(listed, "https://app.example.com")).toBe(101);
    expect(await upgradeStatus(listed, "https://APP.example.com:443")).toBe(101);
    expect(await upgradeStatus(listed, "http://app.example.com")).toBe(403);
    expect(await upgradeStatus(listed, "http://localhost:3000")).toBe(403);
    expect(await upgradeStatus(listed)).toBe(101);
    // The gateway's own dashboard and playground: their Origin names the gateway itself.
    expect(await upgradeStatus(listed, listed.url)).toBe(101);
    const post = await fetch(`${listed.url}/graphql`, {
      method: "POST",
      headers: { origin: "http://localhost:3000", "content-type": "application/json", authorization: `Bearer ${MASTER_KEY}` },
      body: CREATE_KEY,
    });
    expect(post.status).toBe(403);
  });

  it("with a master key and no list, any origin may connect: the key is what guards the door", async () => {
    const keyed = await start("", MASTER_KEY);
    expect(await upgradeStatus(keyed, "http://evil.example")).toBe(101);
  });
});

/** A GET with a chosen Host header (fetch does not let a caller set it). */
function getWithHost(switchyard: Switchyard, path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(switchyard.url);
    const request = httpRequest({ host: url.hostname, port: url.port, path, headers: { host, "apollo-require-preflight": "1" } }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on("error", reject);
    request.end();
  });
}

function chatBody(): string {
  return JSON.stringify({ model: "fast", messages: [{ role: "user", content: "hi" }] });
}

async function countRows(table: "calls" | "virtual_keys"): Promise<number> {
  return (await queryRows<{ n: number }>(testDatabase.database.db, sql.raw(`select count(*)::int as n from ${table}`)))[0]!.n;
}
