import { describe, expect, it } from "vitest";
import { makeCallRecord } from "../../test/db/make-call-record.js";
import { RollupAccumulator, buildCallRollupRows } from "./build-call-rollup-rows.js";

const at = (iso: string) => new Date(iso);

describe("rollup increments", () => {
  it("sum the calls of one minute and combination into one row, and keep a missing dimension apart from an empty one", () => {
    const rows = buildCallRollupRows([
      makeCallRecord({ createdAt: at("2025-03-01T10:00:05Z"), endUser: "ann", costPico: 1_000_000n, latencyMs: 10 }),
      makeCallRecord({ createdAt: at("2025-03-01T10:00:55Z"), endUser: "ann", costPico: 2_000_000n, latencyMs: 10, status: "ERROR", errorKind: "timeout" }),
      makeCallRecord({ createdAt: at("2025-03-01T10:00:30Z"), endUser: "ann", costPico: 3_000_000n, latencyMs: 10 }),
      makeCallRecord({ createdAt: at("2025-03-01T10:00:30Z"), endUser: null }),
      makeCallRecord({ createdAt: at("2025-03-01T10:00:30Z"), endUser: "" }),
      makeCallRecord({ createdAt: at("2025-03-01T10:01:00Z"), endUser: "ann" }),
    ]);
    const ann = rows.filter((row) => row.end_user === "ann" && row.status === "SUCCESS");
    expect(ann.map((row) => [row.bucket_start, row.requests, row.cost_usd])).toEqual([
      ["2025-03-01T10:00:00.000Z", 2, "0.000004000000"],
      ["2025-03-01T10:01:00.000Z", 1, "0.000000150000"],
    ]);
    expect(ann[0]?.latency_sketch).toHaveLength(1);
    expect(rows.filter((row) => row.status === "ERROR").map((row) => [row.error_kind, row.errors])).toEqual([["timeout", 1]]);
    expect(rows.filter((row) => row.end_user === null)).toHaveLength(1);
    expect(rows.filter((row) => row.end_user === "")).toHaveLength(1);
    expect(rows).toHaveLength(5);
  });

  it("derive every level from the increments, each in key order and keeping only its breakdown's dimensions", () => {
    const sums = new RollupAccumulator();
    for (const minute of ["10:02", "10:00", "10:01"]) {
      for (const increment of buildCallRollupRows([makeCallRecord({ createdAt: at(`2025-03-01T${minute}:10Z`), keyId: "k1", endUser: "ann" })])) {
        sums.addIncrement(increment);
      }
    }
    const rows = sums.rows();
    const perDeploymentMinute = rows.filter((row) => row.grain === 1 && row.breakdown === 4);
    expect(perDeploymentMinute.map((row) => row.bucket_start)).toEqual(["2025-03-01T10:00:00.000Z", "2025-03-01T10:01:00.000Z", "2025-03-01T10:02:00.000Z"]);
    expect(perDeploymentMinute[0]).toMatchObject({ deployment: "openai-mini", key_id: null, end_user: null, status: "", requests: 1 });
    const perKeyHour = rows.filter((row) => row.grain === 60 && row.breakdown === 2);
    expect(perKeyHour).toHaveLength(1);
    expect(perKeyHour[0]).toMatchObject({ bucket_start: "2025-03-01T10:00:00.000Z", key_id: "k1", deployment: null, status: "SUCCESS", requests: 3 });
    const levels = rows.map((row) => [row.grain, row.breakdown] as const);
    expect(levels).toEqual([...levels].sort((a, b) => String(a[0]).localeCompare(String(b[0])) || a[1] - b[1]));
  });
});
