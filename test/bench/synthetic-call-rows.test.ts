import { describe, expect, it } from "vitest";
import { SEED_SHAPE } from "../../bench/analytics-seed.js";
import { SYNTHETIC_CALL_COLUMNS, type SyntheticCallContext, syntheticCallRows } from "../../bench/synthetic-call-rows.js";
import { createSeededRandom } from "../../src/simulator/seeded-random.js";

const DAY_MS = 86_400_000;
const start = new Date(Date.UTC(2026, 0, 1));
const context = (total: number, seed = 7): SyntheticCallContext => ({ total, start, spanMs: 30 * DAY_MS, shape: SEED_SHAPE, random: createSeededRandom(seed) });
const column = (name: (typeof SYNTHETIC_CALL_COLUMNS)[number]) => SYNTHETIC_CALL_COLUMNS.indexOf(name);
const lines = (text: string) => text.split("\n").filter((line) => line !== "").map((line) => line.split("\t"));

describe("syntheticCallRows", () => {
  const total = 10_000;
  const rows = lines([...syntheticCallRows(1, total, context(total))].join(""));
  const values = (name: (typeof SYNTHETIC_CALL_COLUMNS)[number]) => rows.map((row) => row[column(name)]!);
  const count = (name: (typeof SYNTHETIC_CALL_COLUMNS)[number], value: string) => values(name).filter((v) => v === value).length;

  it("writes one line per call with a field for every column", () => {
    expect(rows).toHaveLength(total);
    expect(new Set(rows.map((row) => row.length))).toEqual(new Set([SYNTHETIC_CALL_COLUMNS.length]));
  });

  it("is the same for the same seed and chunk size does not change the rows", () => {
    const again = [...syntheticCallRows(1, 1000, context(total), 7)].join("");
    const chunked = [...syntheticCallRows(1, 1000, context(total), 256)];
    expect(chunked).toHaveLength(4);
    expect(chunked.join("")).toBe(again);
    expect([...syntheticCallRows(1, 1000, context(total, 8))].join("")).not.toBe(again);
  });

  it("writes every stride-th call from the first, in order, with a stride", () => {
    const strided = lines([...syntheticCallRows(3, 20, context(total), 4, 5)].join(""));
    const ids = (text: string[][]) => text.map((row) => row[column("id")]);
    // Calls 3, 8, 13, 18: the same ids and times as in a plain run (the draws differ: they go in call order).
    expect(ids(strided)).toEqual([3, 8, 13, 18].map((n) => rows[n - 1]![column("id")]));
    expect(strided.map((row) => row[column("created_at")])).toEqual([3, 8, 13, 18].map((n) => rows[n - 1]![column("created_at")]));
  });

  it("follows the seed shape: status mix, streamed share, groups, deployments, keys, teams, end users", () => {
    expect([count("status", "SUCCESS"), count("status", "ERROR"), count("status", "CANCELLED")]).toEqual([9400, 500, 100]);
    expect(count("streamed", "t")).toBe(8000);
    expect(new Set(values("model_group")).size).toBe(SEED_SHAPE.modelGroups);
    expect(new Set(values("deployment")).size).toBe(SEED_SHAPE.modelGroups * SEED_SHAPE.deploymentsPerGroup);
    expect(new Set(values("key_id")).size).toBe(SEED_SHAPE.keys);
    expect(new Set(values("team_id")).size).toBe(SEED_SHAPE.teams);
    const endUsers = values("end_user").filter((v) => v !== "\\N");
    expect(new Set(endUsers).size).toBe(SEED_SHAPE.endUsers);
    expect(endUsers.length / total).toBeGreaterThan(0.08);
    expect(endUsers.length / total).toBeLessThan(0.12);
    // Only errors carry an error kind and message; only successes a finish reason; only streams a TTFT.
    rows.forEach((row) => {
      const status = row[column("status")];
      expect(row[column("error_kind")] !== "\\N").toBe(status === "ERROR");
      expect(row[column("finish_reason")] === "stop").toBe(status === "SUCCESS");
      expect(row[column("ttft_ms")] !== "\\N").toBe(row[column("streamed")] === "t");
    });
  });

  it("gives unique UUIDs and spreads created_at evenly over the span", () => {
    const ids = values("id");
    expect(new Set(ids).size).toBe(total);
    ids.forEach((id) => expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/));
    const times = values("created_at");
    expect(times[0]).toBe("2026-01-01T00:00:00.000000Z");
    expect(times[1]).toBe("2026-01-01T00:04:19.200000Z");
    expect(times.at(-1)! < "2026-01-31T00:00:00.000000Z").toBe(true);
    expect([...times].sort()).toEqual(times);
  });

  it("prices each call exactly from its tokens and group", () => {
    rows.forEach((row) => {
      const group = Number(row[column("model_group")]!.slice("group-".length));
      const nano = (Number(row[column("prompt_tokens")]) * 150 + Number(row[column("completion_tokens")]) * 600) * (1 + group);
      expect(row[column("cost_usd")]).toBe((nano / 1e9).toFixed(9));
      expect(Number(row[column("cached_tokens")])).toBe(Math.floor(Number(row[column("prompt_tokens")]) / 10));
    });
  });
});
