import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deepMetadata, makeCallRecord } from "../db/make-call-record.js";
import { startTestGateway, type TestGateway } from "../helpers/start-test-gateway.js";

const CONFIG = `
models:
  - name: main
    deployments:
      - { id: sim, provider: simulator, model: gpt-4o-mini }
`;

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway(CONFIG);
});
afterAll(async () => {
  await gateway?.close();
});


describe("a call record the database can never take", () => {
  it("is quarantined, counted in /metrics and /readyz, and blocks nothing behind it", async () => {
    // Whatever the doors let through reaches the writer this way (the completion service's sink).
    const bad = makeCallRecord({ metadata: deepMetadata(5_000) });
    const good = makeCallRecord({ createdAt: new Date() });
    gateway.switchyard.callLog.record(bad);
    gateway.switchyard.callLog.record(good);
    await gateway.flush();

    const ready = await fetch(`${gateway.url}/readyz`);
    const body = (await ready.json()) as { status: string; callLog: { quarantined: number; state: string } };
    // Visible, but not a reason to take the instance out of rotation: the log goes on.
    expect(ready.status).toBe(200);
    expect(body.status).toBe("ready");
    expect(body.callLog).toMatchObject({ quarantined: 1, state: "buffering" });

    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/^switchyard_call_log_quarantined_total 1$/m);

    const stored = (await gateway.switchyard.database.db.execute(sql`select id::text as id from calls where id in (${bad.id}, ${good.id})`)) as unknown as {
      rows: Array<{ id: string }>;
    };
    expect(stored.rows.map((row) => row.id)).toEqual([good.id]);
  });
});
