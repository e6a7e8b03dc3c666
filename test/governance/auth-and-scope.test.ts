import { sql } from "drizzle-orm";
import WebSocket from "ws";
import { describe, expect, it } from "vitest";
import {
  CallDocument,
  CallsDocument,
  CompleteDocument,
  CreateTeamDocument,
  CreateVirtualKeyDocument,
  MeDocument,
  RevokeVirtualKeyDocument,
  UsageDocument,
  VirtualKeysDocument,
  type VirtualKeyInput,
} from "../gql/graphql.js";
import { useTestGateway } from "../helpers/use-test-gateway.js";
import { createTestKey } from "./create-test-key.js";
import { ask, GOVERNANCE_CONFIG, MASTER_KEY } from "./governance-config.js";
import { queryRows } from "../../src/db/index.js";

const gateway = useTestGateway(GOVERNANCE_CONFIG, { masterKey: MASTER_KEY });

const newKey = (input: VirtualKeyInput = {}) => createTestKey(gateway, input);

/** Opens a raw graphql-transport-ws socket, sends connection_init, and resolves how it ended or was acknowledged. */
function connectRaw(connectionParams?: Record<string, unknown>): Promise<{ acked: boolean; closeCode?: number; socket: WebSocket }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${gateway.url.replace(/^http/, "ws")}/graphql`, "graphql-transport-ws");
    socket.once("open", () => socket.send(JSON.stringify({ type: "connection_init", ...(connectionParams ? { payload: connectionParams } : {}) })));
    socket.on("message", (data) => {
      if (JSON.parse(String(data)).type === "connection_ack") resolve({ acked: true, socket });
    });
    socket.once("close", (code) => resolve({ acked: false, closeCode: code, socket }));
    socket.once("error", reject);
  });
}

describe("authentication on every door", () => {
  it("refuses HTTP GraphQL, /v1 and /metrics without valid credentials", async () => {
    const none = await gateway.execute(MeDocument, {}, null);
    expect(none.status).toBe(401);
    expect(none.errors![0]!.extensions!.code).toBe("UNAUTHENTICATED");
    const wrong = await gateway.execute(MeDocument, {}, "sk-sy-not-a-real-key");
    expect(wrong.status).toBe(401);

    const v1 = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "fast", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(v1.status).toBe(401);
    expect(((await v1.json()) as { error: { message: string } }).error.message).toMatch(/credentials/i);
    expect((await fetch(`${gateway.url}/v1/models`)).status).toBe(401);
    expect((await fetch(`${gateway.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${gateway.url}/metrics`, { headers: { authorization: `Bearer ${MASTER_KEY}` } })).status).toBe(200);

    const admin = await gateway.execute(MeDocument, {});
    expect(admin.data!.me).toMatchObject({ kind: "ADMIN", openMode: false });
    const ready = (await (await fetch(`${gateway.url}/readyz`)).json()) as { openDevMode: boolean };
    expect(ready.openDevMode).toBe(false);
  });

  it("closes a WebSocket with 4401 without credentials and 4403 with a revoked key", async () => {
    const none = await connectRaw();
    expect(none).toMatchObject({ acked: false, closeCode: 4401 });
    const bad = await connectRaw({ authorization: "Bearer sk-sy-nope" });
    expect(bad).toMatchObject({ acked: false, closeCode: 4401 });

    const { secret, key } = await newKey({ name: "soon revoked" });
    const ok = await connectRaw({ authorization: `Bearer ${secret}` });
    expect(ok.acked).toBe(true);
    ok.socket.close();
    await gateway.execute(RevokeVirtualKeyDocument, { id: key.id });
    const revoked = await connectRaw({ authorization: `Bearer ${secret}` });
    expect(revoked).toMatchObject({ acked: false, closeCode: 4403 });
  });

  it("refuses a revoked key on an already-open WebSocket's next operation, then closes it (4403)", async () => {
    const { secret, key } = await newKey({ name: "ws" });
    let closeCode: number | undefined;
    const client = gateway.wsClient(secret, { on: { closed: (event) => void (closeCode = (event as { code: number }).code) } });
    const first = await client.iterate({ query: "{ me { kind } }" }).next();
    expect(first.value).toMatchObject({ data: { me: { kind: "VIRTUAL_KEY" } } });

    await gateway.execute(RevokeVirtualKeyDocument, { id: key.id });
    const next = await client.iterate({ query: "{ me { kind } }" }).next().then(
      (result) => result.value as { errors?: Array<{ extensions?: { code?: string } }> },
      (error: unknown) => ({ closed: error }),
    );
    // Either the operation is refused or the sweep has already closed the socket: never an answer.
    if ("errors" in next) expect(next.errors![0]!.extensions!.code).toBe("FORBIDDEN");
    else expect(next).toHaveProperty("closed");
    for (let i = 0; i < 40 && closeCode === undefined; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closeCode).toBe(4403);
  });

  it("refuses an expired key", async () => {
    const expiresAt = Date.now() + 1_000;
    const { secret } = await newKey({ expiresAt: new Date(expiresAt).toISOString() });
    expect((await gateway.execute(MeDocument, {}, secret)).data!.me.kind).toBe("VIRTUAL_KEY");
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt - Date.now()) + 20));
    const refused = await gateway.execute(MeDocument, {}, secret);
    expect(refused.status).toBe(403);
    expect(refused.errors![0]!.extensions!.code).toBe("FORBIDDEN");
  });
});

describe("virtual keys", () => {
  it("are stored as a hash: no plaintext secret in the database or in any output", async () => {
    const { secret, key } = await newKey({ name: "secretive", tags: ["a"] });
    expect(secret).toMatch(/^sk-sy-[A-Za-z0-9_-]{43}$/);
    expect(secret.startsWith(key.keyPrefix)).toBe(true);
    expect(key.keyPrefix.length).toBeLessThan(16);
    await gateway.execute(CompleteDocument, ask("fast"), secret);
    await gateway.flush();

    const db = gateway.switchyard.database.db;
    const found = await queryRows<{ n: string; hashed: string }>(
      db,
      sql`select count(*) filter (where strpos(row_to_json(v)::text, ${secret.slice(6)}) > 0)::text as n,
                 count(*) filter (where key_hash = encode(sha256(convert_to(${secret}, 'UTF8')), 'hex'))::text as hashed
          from virtual_keys v`,
    );
    expect(found[0]).toEqual({ n: "0", hashed: "1" });
    const inCalls = await queryRows<{ n: string }>(db, sql`select count(*)::text as n from calls c where strpos(row_to_json(c)::text, ${secret.slice(6)}) > 0`);
    expect(inCalls[0]!.n).toBe("0");

    const listed = JSON.stringify(await gateway.execute(VirtualKeysDocument, {}));
    expect(listed).not.toContain(secret.slice(6));
  });

  it("only the master key manages keys and teams", async () => {
    const { secret } = await newKey();
    const attempt = await gateway.execute(CreateVirtualKeyDocument, { input: { name: "escalation" } }, secret);
    expect(attempt.errors![0]!.extensions!.code).toBe("FORBIDDEN");
    const team = await gateway.execute(CreateTeamDocument, { input: { name: "nope" } }, secret);
    expect(team.errors![0]!.extensions!.code).toBe("FORBIDDEN");
    const mine = await gateway.execute(VirtualKeysDocument, {}, secret);
    expect(mine.data!.virtualKeys).toHaveLength(1);
  });

  it("complete only on allowed models, on every door", async () => {
    const { secret } = await newKey({ allowedModels: ["fa*"] });
    expect((await gateway.execute(CompleteDocument, ask("fast"), secret)).errors).toBeUndefined();
    expect((await gateway.execute(CompleteDocument, ask("gpt-4o-mini"), secret)).errors).toBeUndefined();
    const refused = await gateway.execute(CompleteDocument, ask("smart"), secret);
    expect(refused.errors![0]!.extensions!.code).toBe("FORBIDDEN");
    const viaFallback = await gateway.execute(CompleteDocument, { input: { ...ask("fast").input, routing: { fallbacks: ["smart"] } } }, secret);
    expect(viaFallback.errors![0]!.extensions!.code).toBe("FORBIDDEN");

    const headers = { "content-type": "application/json", authorization: `Bearer ${secret}` };
    const v1 = await fetch(`${gateway.url}/v1/chat/completions`, { method: "POST", headers, body: JSON.stringify({ model: "smart", messages: [{ role: "user", content: "hi" }] }) });
    expect(v1.status).toBe(403);
    const models = (await (await fetch(`${gateway.url}/v1/models`, { headers })).json()) as { data: Array<{ id: string }> };
    expect(models.data.map((m) => m.id).sort()).toEqual(["fast", "gpt-4o-mini"]);

    const stream = await gateway.wsClient(secret).iterate({ query: `subscription { completionStream(input: { model: "smart", messages: [{ role: USER, content: "hi" }] }) { done } }` }).next();
    expect((stream.value as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe("FORBIDDEN");
  });

  it("see only their own calls and usage", async () => {
    const a = await newKey({ name: "a" });
    const b = await newKey({ name: "b" });
    const mine = (await gateway.execute(CompleteDocument, ask("fast"), a.secret)).data!.complete;
    const theirs = (await gateway.execute(CompleteDocument, ask("fast"), b.secret)).data!.complete;
    await gateway.execute(CompleteDocument, ask("fast"));
    await gateway.flush();

    const listed = (await gateway.execute(CallsDocument, { first: 50 }, a.secret)).data!.calls;
    expect(listed.totalCount).toBe(1);
    expect(listed.edges.map((e) => e.node.id)).toEqual([mine.id]);
    expect((await gateway.execute(CallDocument, { id: theirs.id }, a.secret)).data!.call).toBeNull();
    expect((await gateway.execute(CallDocument, { id: mine.id }, a.secret)).data!.call!.id).toBe(mine.id);
    const usage = (await gateway.execute(UsageDocument, { groupBy: ["KEY"] }, a.secret)).data!.usage;
    expect(usage.totals.requests).toBe(1);
    expect(usage.rows.map((r) => r.key)).toEqual([[a.key.id]]);

    const all = (await gateway.execute(CallsDocument, { first: 200 })).data!.calls;
    expect(all.edges.map((e) => e.node.id)).toEqual(expect.arrayContaining([mine.id, theirs.id]));
  });
});

describe("rate limits", () => {
  it("refuses past the key's RPM with RATE_LIMITED and retryAfterMs, and /v1 with 429 and retry-after", async () => {
    const { secret } = await newKey({ rpm: 3 });
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await gateway.execute(CompleteDocument, ask("fast"), secret));
    expect(results.filter((r) => r.errors === undefined)).toHaveLength(3);
    const limited = results.filter((r) => r.errors !== undefined).map((r) => r.errors![0]!.extensions!);
    expect(limited.map((e) => e.code)).toEqual(["RATE_LIMITED", "RATE_LIMITED"]);
    for (const e of limited) {
      expect(e.retryAfterMs).toBeGreaterThan(0);
      expect(e.retryAfterMs).toBeLessThanOrEqual(60_000);
    }
    const v1 = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
      body: JSON.stringify({ model: "fast", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(v1.status).toBe(429);
    expect(Number(v1.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });

  it("shares a team's RPM between its keys", async () => {
    const team = (await gateway.execute(CreateTeamDocument, { input: { name: "crew", rpm: 2 } })).data!.createTeam;
    const one = await newKey({ teamId: team.id });
    const two = await newKey({ teamId: team.id });
    expect((await gateway.execute(CompleteDocument, ask("fast"), one.secret)).errors).toBeUndefined();
    expect((await gateway.execute(CompleteDocument, ask("fast"), two.secret)).errors).toBeUndefined();
    const third = await gateway.execute(CompleteDocument, ask("fast"), one.secret);
    expect(third.errors![0]!.extensions).toMatchObject({ code: "RATE_LIMITED", scope: "team" });
  });

  it("caps parallel requests", async () => {
    const { secret } = await newKey({ maxParallel: 1 });
    const [a, b] = await Promise.all([
      gateway.execute(CompleteDocument, ask("slow", { maxTokens: 20 }), secret),
      gateway.execute(CompleteDocument, ask("slow", { maxTokens: 20 }), secret),
    ]);
    const codes = [a, b].map((r) => r.errors?.[0]?.extensions?.code ?? "OK").sort();
    expect(codes).toEqual(["OK", "RATE_LIMITED"]);
    expect((await gateway.execute(CompleteDocument, ask("fast"), secret)).errors).toBeUndefined();
  });
});
