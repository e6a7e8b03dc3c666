import { sql } from "drizzle-orm";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startSwitchyard } from "../../src/app/start-switchyard.js";
import { ConfigError, loadConfig } from "../../src/config/index.js";
import { type DrizzleDb, queryRows } from "../../src/db/index.js";
import { CallDocument, CallsDocument, CompleteDocument, ModelsDocument, RecordFeedbackDocument, UsageDocument } from "../gql/graphql.js";
import { collect, startTestGateway, type TestGateway } from "../helpers/start-test-gateway.js";
import { useTestDatabase } from "../helpers/use-test-database.js";

const onServer = Boolean(process.env.DATABASE_URL);
const MODELS = `
models:
  - name: main
    deployments:
      - id: sim
        provider: simulator
        model: gpt-4o-mini
`;
/** The call log's tables, copied from the primary as replication would. */
const REPLICATED = ["calls", "call_attempts", "call_rollups", "call_rollup_deltas", "attempt_rollups"];

/**
 * The stand-in replica is a database of its own, so a read observably comes from it: it holds what
 * the test copies into it. Its lag is the test's to set: the functions the lag query calls are
 * shadowed, for this connection only (search_path), by ones reading `lag_control.setting`
 * (null lag: not a replica).
 */
async function controlLag(db: DrizzleDb) {
  await db.execute(sql.raw(`
    create schema lag_control;
    create table lag_control.setting (lag_seconds float8);
    insert into lag_control.setting values (null);
    create function lag_control.pg_is_in_recovery() returns boolean language sql as $$ select lag_seconds is not null from lag_control.setting $$;
    create function lag_control.pg_last_wal_receive_lsn() returns pg_lsn language sql as $$ select '0/2'::pg_lsn $$;
    create function lag_control.pg_last_wal_replay_lsn() returns pg_lsn language sql as $$ select '0/1'::pg_lsn $$;
    create function lag_control.pg_last_xact_replay_timestamp() returns timestamptz language sql as $$ select now() - make_interval(secs => lag_seconds) from lag_control.setting $$;
  `));
}

async function replicate(from: DrizzleDb, to: DrizzleDb) {
  for (const table of REPLICATED) {
    const [row] = await queryRows<{ rows: string | null }>(from, sql.raw(`select json_agg(t)::text as rows from ${table} t`));
    if (row?.rows) await to.execute(sql`insert into ${sql.identifier(table)} select * from json_populate_recordset(null::${sql.identifier(table)}, ${row.rows}::json)`);
  }
}

const ask = { input: { model: "main", messages: [{ role: "USER" as const, content: "hi" }] } };
const lagOf = (result: unknown) => (result as { extensions?: { replicaLagSeconds?: number | null } }).extensions?.replicaLagSeconds;

describe.skipIf(!onServer)("database.readUrl: listings and analytics read a replica (skipped without DATABASE_URL)", () => {
  const replica = useTestDatabase();
  let gateway: TestGateway;
  beforeAll(async () => {
    await controlLag(replica.database.db);
    const readUrl = new URL(replica.url!);
    readUrl.searchParams.set("options", "-c search_path=lag_control,pg_catalog,public");
    gateway = await startTestGateway(`${MODELS}database:\n  readUrl: "${readUrl}"\n`);
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it("writes go to the primary, listings come from the replica with its lag, the rest carries no lag", async () => {
    const primary = gateway.switchyard.database.db;
    const first = await gateway.execute(CompleteDocument, ask);
    const second = await gateway.execute(CompleteDocument, ask);
    expect(lagOf(first)).toBeUndefined(); // a call reads no replica
    await gateway.flush();
    await gateway.switchyard.rollupMerger.mergeAll();
    expect(await queryRows(primary, sql`select id from calls`)).toHaveLength(2);

    // Not replicated yet: the replica has none, and says it is no replica (lag 0).
    const before = await gateway.execute(CallsDocument, { first: 10 });
    expect(before.errors).toBeUndefined();
    expect(before.data!.calls.edges).toHaveLength(0);
    expect(lagOf(before)).toBe(0);
    expect((await gateway.execute(CallDocument, { id: first.data!.complete.id })).data!.call).toBeNull();

    // Feedback finds the call on the primary, where it was just written.
    const feedback = await gateway.execute(RecordFeedbackDocument, { callId: first.data!.complete.id, score: 1 });
    expect(feedback.errors).toBeUndefined();
    expect(feedback.data!.recordFeedback.id).toBe(first.data!.complete.id);

    await replicate(primary, replica.database.db);
    const after = await gateway.execute(CallsDocument, { first: 10 });
    expect(after.data!.calls.edges.map((e) => e.node.id).sort()).toEqual([first.data!.complete.id, second.data!.complete.id].sort());
    expect(after.data!.calls.totalCount).toBe(2);
    const usage = await gateway.execute(UsageDocument, {});
    expect(usage.data!.usage.totals.requests).toBe(2);
    expect(lagOf(usage)).toBe(0);

    // Seven seconds behind: said once the cached measurement (1 s) is renewed.
    await replica.database.db.execute(sql`update lag_control.setting set lag_seconds = 7`);
    await vi.waitFor(async () => expect(lagOf(await gateway.execute(CallsDocument, { first: 1 }))).toBeCloseTo(7, 0), { timeout: 10_000, interval: 200 });
    expect(lagOf(await gateway.execute(ModelsDocument, {}))).toBeUndefined(); // no replica read
    const ready = (await (await fetch(`${gateway.url}/readyz`)).json()) as Record<string, unknown>;
    expect(ready).toMatchObject({ status: "ready", readReplica: "up" });
    // Over a WebSocket as over HTTP.
    const [overWs] = await collect(gateway.wsClient(), CallsDocument, { first: 1 }, 1);
    expect(overWs!.data!.calls.edges).toHaveLength(1);
    expect(lagOf(overWs)).toBeCloseTo(7, 0);
    const [modelsOverWs] = await collect(gateway.wsClient(), ModelsDocument, {}, 1);
    expect(lagOf(modelsOverWs)).toBeUndefined();
  });

  it("refuses a readUrl that does not answer at start, naming database.readUrl", async () => {
    const config = loadConfig({ text: `${MODELS}database:\n  url: "postgres://postgres@127.0.0.1:5432/x"\n  readUrl: "postgres://postgres@127.0.0.1:1/nowhere"\n`, env: {} });
    const start = startSwitchyard({ config, logger: pino({ level: "silent" }), port: 0, host: "127.0.0.1", database: gateway.switchyard.database });
    await expect(start).rejects.toThrow(ConfigError);
    await expect(start).rejects.toThrow(/database\.readUrl: Cannot connect to Postgres/);
  });
});

describe.skipIf(onServer)("database.readUrl on the embedded database", () => {
  it("is refused at start: PGlite has no replicas", async () => {
    const start = startTestGateway(`${MODELS}database:\n  readUrl: "postgres://postgres@127.0.0.1:5432/replica"\n`);
    await expect(start).rejects.toThrow(ConfigError);
    await expect(start).rejects.toThrow(/database\.readUrl: a read replica needs a Postgres primary/);
  });
});
