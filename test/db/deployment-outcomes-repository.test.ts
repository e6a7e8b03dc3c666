import { describe, expect, it } from "vitest";
import { createDeploymentOutcomesRepository } from "../../src/db/index.js";
import { type LatencySketch, addToSketch, encodeSketch, mergeSketches, sketchQuantiles } from "../../src/db/latency-sketch.js";
import { upsertAttemptRollups } from "../../src/db/upsert-attempt-rollups.js";
import type { AttemptRollupJsonRow } from "../../src/db/build-attempt-rollup-rows.js";
import { useTestDatabase } from "../helpers/use-test-database.js";
import { seededRandom } from "./make-call-record.js";

describe("deployment outcomes from the attempt rollups", () => {
  const test = useTestDatabase();

  it("counts outcomes per deployment and reads its latency percentiles off every successful minute's sketch merged", async () => {
    const random = seededRandom(11);
    const since = new Date(Date.UTC(2026, 2, 1, 12, 0));
    const merged = new Map<string, LatencySketch>();
    const rows: AttemptRollupJsonRow[] = [];
    const row = (minute: number, deployment: string, outcome: string, errorKind: string | null, attempts: number, sketch: LatencySketch): AttemptRollupJsonRow => ({
      bucket_start: new Date(since.getTime() + minute * 60_000).toISOString(),
      deployment,
      model_group: "fast",
      provider: "openai",
      outcome,
      error_kind: errorKind,
      attempts,
      hedged: 0,
      latency_sketch: encodeSketch(sketch),
    });
    for (const deployment of ["east", "west"]) {
      const all: LatencySketch = new Map();
      for (let minute = 0; minute < 4; minute++) {
        const sketch: LatencySketch = new Map();
        const spread = deployment === "east" ? 200 : 2_000;
        for (let i = 0; i < 25; i++) addToSketch(sketch, 20 + random() * spread);
        mergeSketches(all, sketch);
        rows.push(row(minute, deployment, "SUCCESS", null, 25, sketch));
      }
      merged.set(deployment, all);
    }
    rows.push(row(1, "west", "ERROR", "timeout", 3, new Map()), row(2, "west", "ERROR", "rate_limit", 2, new Map()), row(2, "east", "CANCELLED", null, 1, new Map()));
    // Before the window: not counted.
    rows.push(row(-5, "east", "SUCCESS", null, 9, new Map([[400, 9]])));
    rows.sort((a, b) => (a.bucket_start + a.deployment + a.outcome + (a.error_kind ?? "")).localeCompare(b.bucket_start + b.deployment + b.outcome + (b.error_kind ?? "")));
    await upsertAttemptRollups(test.database.db, rows);

    const outcomes = await createDeploymentOutcomesRepository(test.database.db).since(since);
    for (const deployment of ["east", "west"]) {
      const [p50, p95] = sketchQuantiles(merged.get(deployment)!, [0.5, 0.95]);
      expect(outcomes.get(deployment), deployment).toMatchObject({ succeeded: 100, latencyP50Ms: p50, latencyP95Ms: p95 });
    }
    expect(outcomes.get("east")).toMatchObject({ attempts: 101, cancelled: 1 });
    expect(outcomes.get("west")).toMatchObject({ attempts: 105, failedByKind: new Map([["timeout", 3], ["rate_limit", 2]]) });
    expect(outcomes.get("west")!.latencyP95Ms!).toBeGreaterThan(outcomes.get("east")!.latencyP95Ms!);
  });
});
