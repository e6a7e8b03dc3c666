// docs/conformance.md from the conformance suite's results (test/conformance): every door × provider ×
// feature cell, run against an in-process gateway. `--check` fails when the file is out of date or a
// cell is failing.
import "reflect-metadata";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { renderConformance } from "../test/conformance/render-conformance.js";
import { runConformance } from "../test/conformance/run-conformance.js";
import { writeOrCheck } from "./write-or-check.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const target = join(root, "docs", "conformance.md");
const check = process.argv.includes("--check");

const started = performance.now();
const results = await runConformance();
const text = renderConformance(results);
const failing = [...results.cells, ...results.embeddings].filter((r) => r.verdict === "failing");
for (const cell of failing) console.error(`failing: ${cell.door} × ${cell.provider}${"feature" in cell ? ` × ${cell.feature}` : ""}: ${cell.note ?? ""}`);
console.error(`${results.cells.length + results.embeddings.length} cells in ${((performance.now() - started) / 1000).toFixed(1)} s: ${failing.length} failing`);

writeOrCheck(target, text, { source: "the conformance suite's results (test/conformance)", command: "npm run -s docs:conformance" });
if (check && failing.length > 0) process.exit(1);
process.exit(0);
