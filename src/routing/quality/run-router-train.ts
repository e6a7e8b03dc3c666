import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname } from "node:path";
import { buildRouterFile, SHIPPED_ROUTER_VERSION } from "./build-router-file.js";
import { readRoutingCsv } from "./read-routing-csv.js";
import { parseCommandArgs, runRouterCommand, UsageError, type RouterCommandIo } from "./router-command-io.js";
import { serializeRouterFile } from "./router-file.js";

const USAGE = "router:train -- --data FILE.csv [--data FILE.csv …] --out PATH [--folds K] [--version 2|3]";

/** Trains a router file from the given CSVs; returns its text (the same for the same files). */
export function trainRouterFileText(files: readonly string[], folds: number, version: 2 | 3 = SHIPPED_ROUTER_VERSION): { text: string; summary: string } {
  const datasets = files.map((file) => readRoutingCsv(file, { requireOutcomes: true }));
  const sources = files.map((file, i) => ({
    name: basename(file),
    rows: datasets[i]!.rows.length,
    sha256: createHash("sha256").update(readFileSync(file)).digest("hex"),
  }));
  const routerFile = buildRouterFile(datasets, { folds, sources, version });
  const summary = routerFile.heldOut
    .map((h) => `${h.data}: ${h.prompts} prompts, ${h.folds}-fold held-out APGR ${h.apgr.toFixed(3)}, CPT(50%) ${pct(h.cpt50)}, CPT(80%) ${pct(h.cpt80)}, strong share at 95% ${pct(h.share95)}`)
    .join("\n");
  return { text: serializeRouterFile(routerFile), summary };
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

export function parseFolds(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const folds = Number(value);
  if (!Number.isInteger(folds) || folds < 2 || folds > 50) throw new UsageError(`--folds must be an integer in 2..50, not ${JSON.stringify(value)}`);
  return folds;
}

/** `--version`: the file format to train (SHIPPED_ROUTER_VERSION, the builtin's, unless told). */
export function parseVersion(value: string | undefined): 2 | 3 {
  if (value === undefined) return SHIPPED_ROUTER_VERSION;
  if (value !== "2" && value !== "3") throw new UsageError(`--version must be 2 or 3, not ${JSON.stringify(value)}`);
  return value === "3" ? 3 : 2;
}

export function runRouterTrain(argv: string[], io: RouterCommandIo): Promise<number> {
  return runRouterCommand(USAGE, io, () => {
    const args = parseCommandArgs(argv, { data: { type: "string", multiple: true }, out: { type: "string" }, folds: { type: "string" }, version: { type: "string" } });
    if (args.data === undefined || args.data.length === 0) throw new UsageError("--data is required (one or more CSV files)");
    if (args.out === undefined) throw new UsageError("--out is required");
    const started = performance.now();
    const { text, summary } = trainRouterFileText(args.data, parseFolds(args.folds, 5), parseVersion(args.version));
    mkdirSync(dirname(args.out), { recursive: true });
    writeFileSync(args.out, text);
    io.stdout(`${summary}\nwrote ${args.out} (${(text.length / 1e6).toFixed(2)} MB) in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  });
}
