// usage: node bench/.cpuq.mjs DBURL RUNS file1.sql [file2.sql ...]  (alternates files round-robin)
import pg from "pg";
import { readFileSync } from "node:fs";
const [url, runsArg, ...files] = process.argv.slice(2);
const runs = Number(runsArg);
const client = new pg.Client({ connectionString: url });
await client.connect();
const pid = (await client.query("select pg_backend_pid() as pid")).rows[0].pid;
const ticks = () => { const s = readFileSync(`/proc/${pid}/stat`, "utf8"); const f = s.slice(s.lastIndexOf(")") + 2).split(" "); return Number(f[11]) + Number(f[12]); };
const texts = files.map((f) => readFileSync(f, "utf8"));
const stats = files.map(() => ({ ticks: 0, wall: [] , rows: 0}));
for (const t of texts) await client.query(t);
for (let r = 0; r < runs; r++) for (let i = 0; i < texts.length; i++) {
  const t0 = ticks(); const w0 = performance.now();
  const res = await client.query(texts[i]);
  stats[i].wall.push(performance.now() - w0); stats[i].ticks += ticks() - t0; stats[i].rows = Array.isArray(res) ? res.at(-1).rows.length : res.rows.length;
}
for (let i = 0; i < files.length; i++) {
  const w = stats[i].wall.sort((a, b) => a - b);
  console.log(`${files[i]}: backend CPU ${(stats[i].ticks * 10 / runs).toFixed(1)} ms/run; wall p50 ${w[Math.floor(runs/2)].toFixed(1)} p95 ${w[Math.ceil(0.95*runs)-1].toFixed(1)} ms; rows ${stats[i].rows}`);
}
await client.end();
