/**
 * `npm run -s router:check [-- --data-dir DIR]`: retrains the shipped router from the data it
 * names (same files, same order) and fails when the result differs from
 * src/routing/quality/builtin-router.json by a single byte. The data folder defaults to
 * ../shared/data/routellm (or ../../shared/data/routellm from a worktree).
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { findProjectRoot } from "../src/server/find-project-root.js";
import { builtinRouterPath } from "../src/routing/quality/load-prompt-scorer.js";
import { trainRouterFileText } from "../src/routing/quality/run-router-train.js";

const root = findProjectRoot();
const { values } = parseArgs({ options: { "data-dir": { type: "string" }, folds: { type: "string", default: "5" } } });
const candidates = values["data-dir"] ? [resolve(values["data-dir"])] : [join(root, "..", "shared", "data", "routellm"), join(root, "..", "..", "shared", "data", "routellm")];
const dataDir = candidates.find((dir) => existsSync(dir));
if (dataDir === undefined) {
  console.error(`router:check: no routing data folder (looked in ${candidates.join(", ")}); pass --data-dir`);
  process.exit(2);
}
const shipped = readFileSync(builtinRouterPath(root), "utf8");
const { version, training } = JSON.parse(shipped) as { version: 2 | 3; training: { sources: { name: string }[] } };
const sources = training.sources;
const started = performance.now();
const { text } = trainRouterFileText(sources.map((s) => join(dataDir, s.name)), Number(values.folds), version);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
if (text !== shipped) {
  console.error(`router:check: retraining from ${dataDir} (${sources.map((s) => s.name).join(", ")}) gives a different router file than src/routing/quality/builtin-router.json (${seconds} s). Run: npm run -s router:train -- ${sources.map((s) => `--data ${join(dataDir, s.name)}`).join(" ")} --out src/routing/quality/builtin-router.json --version ${version}`);
  process.exit(1);
}
console.log(`router:check: builtin-router.json is what router:train makes from ${sources.map((s) => s.name).join(", ")} (${seconds} s)`);
