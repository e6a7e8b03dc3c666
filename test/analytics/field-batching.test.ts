import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CallKeysNestedDocument, CreateTeamDocument, CreateVirtualKeyDocument, ModelGroupsWithHealthAndUsageDocument } from "../gql/graphql.js";
import { GOVERNANCE_CONFIG, MASTER_KEY } from "../governance/governance-config.js";
import { callRecord } from "./call-records.js";
import { startCountingGateway, type CountingGateway } from "./start-counting-gateway.js";

let gateway: CountingGateway;
const keys: Record<"k1" | "k2" | "k3" | "k4", { id: string; secret: string }> = {} as never;
const teams: Record<"t1" | "t2", string> = {} as never;
const now = Date.now();
const windowFrom = new Date(now - 2 * 3_600_000);
const windowTo = new Date(now + 60_000);

beforeAll(async () => {
  gateway = await startCountingGateway(GOVERNANCE_CONFIG, MASTER_KEY);
  for (const name of ["t1", "t2"] as const) {
    const result = await gateway.execute(CreateTeamDocument, { input: { name } });
    expect(result.errors).toBeUndefined();
    teams[name] = result.data!.createTeam.id;
  }
  const teamOf = { k1: teams.t1, k2: teams.t1, k3: teams.t2, k4: null };
  for (const name of ["k1", "k2", "k3", "k4"] as const) {
    const result = await gateway.execute(CreateVirtualKeyDocument, { input: { name, teamId: teamOf[name] } });
    expect(result.errors).toBeUndefined();
    keys[name] = { id: result.data!.createVirtualKey.key.id, secret: result.data!.createVirtualKey.secret };
  }
  // 60 calls over the last 60 minutes: keys k1, k2, k3, k4 and none in turn; even ones on sim-fast.
  const owners = [keys.k1, keys.k2, keys.k3, keys.k4, null];
  await gateway.record(
    Array.from({ length: 60 }, (_, i) =>
      callRecord({
        at: new Date(now - (60 - i) * 60_000),
        deployment: i % 2 === 0 ? "sim-fast" : "sim-smart",
        keyId: owners[i % 5]?.id ?? null,
        promptTokens: 100,
        completionTokens: 10,
        costPico: i % 2 === 0 ? 120_000_000n : 600_000_000n,
        status: i % 6 === 0 ? "ERROR" : "SUCCESS",
        attempts: 1 + (i % 3 === 0 ? 1 : 0),
      }),
    ),
  );
});
afterAll(async () => {
  await gateway?.close();
});

describe("field resolvers batched per request", () => {
  it("resolves call → key → team → keys and attempts in a constant number of statements", async () => {
    let small: { errors?: unknown } | undefined;
    const fewStatements = await gateway.statementsDuring(async () => {
      small = await gateway.execute(CallKeysNestedDocument, { first: 5 });
    });
    expect(small!.errors).toBeUndefined();

    let result: { data?: unknown; errors?: unknown } | undefined;
    const statements = await gateway.statementsDuring(async () => {
      result = await gateway.execute(CallKeysNestedDocument, { first: 50 });
    });
    expect(result!.errors).toBeUndefined();
    const nodes = (result!.data as { calls: { edges: Array<{ node: Node }> } }).calls.edges.map((edge) => edge.node);
    expect(nodes).toHaveLength(50);

    // 50 calls, 40 with a key, 4 distinct keys and 2 teams: still one statement per loader, as for 5.
    // (Counted per kind: a statement of the server's own timers can fall into either window.)
    for (const kind of [/from "call_attempts"/, /from "teams"/, /from "virtual_keys"/]) {
      expect(statements.filter((s) => kind.test(s)).length).toBe(fewStatements.filter((s) => kind.test(s)).length);
    }
    expect(statements.filter((s) => /from "call_attempts"/.test(s))).toHaveLength(1);
    expect(statements.filter((s) => /from "teams"/.test(s))).toHaveLength(1);
    // keys by id, then keys by team
    expect(statements.filter((s) => /from "virtual_keys"/.test(s))).toHaveLength(2);
    expect(statements.length).toBeLessThanOrEqual(6);

    const byId = new Map(Object.values(keys).map((key) => [key.id, key]));
    const keysOfTeam = { [teams.t1]: [keys.k1.id, keys.k2.id], [teams.t2]: [keys.k3.id] };
    for (const node of nodes) {
      if (node.keyId === null) {
        expect(node.key).toBeNull();
        continue;
      }
      expect(node.key?.id).toBe(node.keyId);
      const name = [...Object.entries(keys)].find(([, key]) => key.id === node.keyId)![0];
      expect(node.key?.name).toBe(name);
      expect(byId.get(node.keyId)!.secret.startsWith(node.key!.keyPrefix)).toBe(true);
      if (name === "k4") expect(node.key?.team).toBeNull();
      else expect(node.key?.team?.keys.map((k) => k.id).sort()).toEqual([...keysOfTeam[node.key!.team!.id]!].sort());
      expect(node.attempts.length).toBeGreaterThanOrEqual(1);
    }
    // The secret never travels back, whatever is selected.
    for (const key of Object.values(keys)) expect(JSON.stringify(result!.data)).not.toContain(key.secret);
  });

  it("reads ModelGroup.health from the router and Deployment.usage with one usage report per window", async () => {
    const window = { from: windowFrom.toISOString(), to: windowTo.toISOString() };
    let result: { data?: unknown; errors?: unknown } | undefined;
    const statements = await gateway.statementsDuring(async () => {
      result = await gateway.execute(ModelGroupsWithHealthAndUsageDocument, { window });
    });
    expect(result!.errors).toBeUndefined();
    // The same report the three deployments share, asked for once on its own.
    const single = await gateway.statementsDuring(() =>
      gateway.execute(`query($f: UsageFilter) { usage(filter: $f, groupBy: [DEPLOYMENT]) { totals { requests } } }`, { f: window }),
    );
    // Plus one read of stored outcomes for every deployment at once: with no live samples yet,
    // their status comes from what was stored.
    expect(statements.filter((s) => /from attempt_rollups/.test(s))).toHaveLength(1);
    expect(statements.length).toBe(single.length + 1);

    const models = (result!.data as { models: Array<{ name: string; health: Array<{ deployment: string; model: string }>; deployments: Array<{ id: string; usage: Usage }> }> }).models;
    expect(models.map((m) => m.name)).toEqual(["fast", "smart", "slow"]);
    for (const group of models) {
      expect(group.health.map((h) => h.deployment)).toEqual(group.deployments.map((d) => d.id));
      expect(group.health.every((h) => h.model === group.name)).toBe(true);
    }
    const usage = Object.fromEntries(models.flatMap((m) => m.deployments.map((d) => [d.id, d.usage])));
    // Even i (0, 2, …, 58): 30 calls on sim-fast, errors where i % 6 === 0: 10. Odd: 30 on sim-smart, no errors.
    expect(usage["sim-fast"]).toMatchObject({ requests: 30, errors: 10, promptTokens: 3000, completionTokens: 300, costUsdExact: "0.003600000000" });
    expect(usage["sim-smart"]).toMatchObject({ requests: 30, errors: 0, costUsdExact: "0.018000000000" });
    expect(usage["sim-slow"]).toMatchObject({ requests: 0, errors: 0, costUsdExact: "0.000000000000", latencyP50Ms: null });

    // Without a window: the last hour, which leaves out the oldest call (60 minutes ago) and no other.
    const lastHour = await gateway.execute(ModelGroupsWithHealthAndUsageDocument, {});
    const recent = (lastHour.data as { models: typeof models }).models.flatMap((m) => m.deployments);
    expect(recent.reduce((sum, d) => sum + d.usage.requests, 0)).toBe(59);
  });

  it("shows a virtual key only itself, through every field", async () => {
    const result = await gateway.execute(CallKeysNestedDocument, { first: 50 }, keys.k1.secret);
    expect(result.errors).toBeUndefined();
    const nodes = (result.data as { calls: { edges: Array<{ node: Node }> } }).calls.edges.map((edge) => edge.node);
    expect(nodes).toHaveLength(12);
    for (const node of nodes) {
      expect(node.key?.id).toBe(keys.k1.id);
      expect(node.key?.team?.id).toBe(teams.t1);
      expect(node.key?.team?.keys.map((k) => k.id)).toEqual([keys.k1.id]);
    }
  });
});

interface Node {
  id: string;
  keyId: string | null;
  key: { id: string; name: string | null; keyPrefix: string; team: { id: string; name: string; keys: Array<{ id: string }> } | null } | null;
  attempts: Array<{ index: number; deployment: string }>;
}
interface Usage {
  requests: number;
  errors: number;
  costUsdExact: string;
  latencyP50Ms: number | null;
}
