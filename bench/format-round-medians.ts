import type { RoundMedians } from "./round-medians.js";

/**
 * The side-by-side tables of a run of several rounds: the one-round table's latency and added columns as
 * medians over the rounds, then the spread of the added p99 (min…max over the rounds), how many rounds were
 * CONTENDED, and the gateway's median CPU per call; closed loop, the median req/s and ratio to the floor.
 */
export function formatRoundMedians(medians: RoundMedians, rate: number, streamRate: number, pinned = false): string[] {
  const lines: string[] = [];
  const n = medians.rounds;
  const placement = pinned ? " — PINNED: generator+simulator CPU 0, proxies CPU 1" : "";
  const of = `median of ${n} rounds`;
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : "n/a").padStart(9);
  const signed = (v: number, digits = 3) => (Number.isFinite(v) ? `${v >= 0 ? "+" : ""}${v.toFixed(digits)}` : "n/a");
  const ratio = (a: number, b: number) => (b > 0 && Number.isFinite(a) ? `${(a / b).toFixed(2)}×` : "n/a").padStart(7);
  for (const kind of ["http", "stream"] as const) {
    const rows = medians.rows.filter((r) => r.kind === kind);
    const floor = rows[1]?.addedMs;
    if (!rows[0] || !floor) continue;
    lines.push(`${kind === "http" ? `Open loop, ${rate} req/s — ms, whole answer` : `Streams, ${streamRate}/s, 8+ chunks — ms to first token (TTFT)`}, ${of}${placement}`);
    lines.push(`  ${"".padEnd(30)}${"p50".padStart(9)}${"p99".padStart(9)}${"p99.9".padStart(9)} │${"+p50".padStart(9)}${"+p99".padStart(9)}${"+p99.9".padStart(9)} │ added ÷ floor's added p50/p99/p99.9 │ ` +
      `${"+p99 min…max".padEnd(18)}│ contended │ gateway CPU µs/call (main + other threads)`);
    for (const row of rows) {
      const l = row.latencyMs;
      const a = row.addedMs;
      const range = row.addedP99RangeMs ? `${signed(row.addedP99RangeMs.min, 2)}…${signed(row.addedP99RangeMs.max, 2)}` : "";
      const fails = row.failed > 0 ? ` ${row.failed} FAILED` : "";
      lines.push(`  ${row.label.padEnd(30)}${f(l.p50)}${f(l.p99)}${f(l.p999)} │${a ? `${signed(a.p50).padStart(9)}${signed(a.p99).padStart(9)}${signed(a.p999).padStart(9)}` : "".padEnd(27)} │ ` +
        `${a ? `${ratio(a.p50, floor.p50)}${ratio(a.p99, floor.p99)}${ratio(a.p999, floor.p999)}` : "".padEnd(21)}${"".padEnd(15)}│ ${range.padEnd(18)}│ ${`${row.contendedRounds}/${row.perRound.length}`.padStart(9)} │ ` +
        `${row.cpuUsPerCall ? `${row.cpuUsPerCall.main.toFixed(0)} + ${row.cpuUsPerCall.other.toFixed(0)}` : ""}${fails}`);
    }
    lines.push(`  (added: over the same round's upstream, then the median; contended: rounds taken with the machine or the generator short of CPU, as in a one-round table)`);
    lines.push("");
  }
  if (medians.closed.length > 0) {
    lines.push(`Closed loop — req/s, ${of}${placement}`);
    lines.push(`  ${"".padEnd(30)}${"req/s".padStart(9)}  ${"÷ floor".padEnd(9)}${"÷ floor min…max".padEnd(18)}│ failed`);
    for (const row of medians.closed) {
      const range = Number.isFinite(row.ofFloorRange.min) ? `${row.ofFloorRange.min.toFixed(2)}…${row.ofFloorRange.max.toFixed(2)}×` : "n/a";
      lines.push(`  ${row.label.padEnd(30)}${(Number.isFinite(row.requestsPerSecond) ? row.requestsPerSecond.toFixed(0) : "n/a").padStart(9)}  ` +
        `${(Number.isFinite(row.ofFloor) ? `${row.ofFloor.toFixed(2)}×` : "n/a").padEnd(9)}${range.padEnd(18)}│ ${row.failed > 0 ? `${row.failed} FAILED` : "0"}`);
    }
  }
  return lines;
}
