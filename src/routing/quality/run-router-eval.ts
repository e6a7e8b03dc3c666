import { writeFileSync } from "node:fs";
import { crossValidatedScores, DEFAULT_TRAIN_OPTIONS, labelledRows, version2Options } from "./build-router-file.js";
import { stackedHeldOutScores } from "./build-stacked-router-file.js";
import { DEFAULT_STACK_SETTINGS } from "./fit-stacked-router.js";
import { computeRoutingCurve, type RoutingCurve } from "./compute-routing-curve.js";
import { loadRouter } from "./load-prompt-scorer.js";
import { mayContainPrompt } from "./prompt-bloom-filter.js";
import { readRoutingCsv } from "./read-routing-csv.js";
import { renderRoutingCurveSvg, thinCurve } from "./render-routing-curve-svg.js";
import { parseCommandArgs, runRouterCommand, UsageError, type RouterCommandIo } from "./router-command-io.js";
import { parseFolds, parseVersion } from "./run-router-train.js";

const USAGE = "router:eval -- --data FILE.csv [--router builtin|PATH] [--folds K [--version 2|3]] [--svg PATH]";

/** Expected figures of a router that sends a random share of prompts up: PGR grows linearly with the share. */
export function randomRouterFigures(curve: Pick<RoutingCurve, "weakQuality" | "strongQuality">) {
  const gap = curve.strongQuality - curve.weakQuality;
  const need95 = gap <= 0 ? 0 : (0.95 * curve.strongQuality - curve.weakQuality) / gap;
  return { apgr: 0.5, cpt50: 0.5, cpt80: 0.8, share95: Math.min(1, Math.max(0, need95)) };
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`.padStart(9);

/**
 * `router:eval`: APGR, CPT(50%), CPT(80%) and the strong share at 95% of strong accuracy, for the
 * router beside random and oracle, and the curve as SVG. With `--folds K` the router is trained
 * afresh on K−1 folds of the file and judged on the fold it did not see (held-out figures).
 */
export function runRouterEval(argv: string[], io: RouterCommandIo): Promise<number> {
  return runRouterCommand(USAGE, io, () => {
    const args = parseCommandArgs(argv, { data: { type: "string" }, router: { type: "string" }, folds: { type: "string" }, version: { type: "string" }, svg: { type: "string" } });
    if (args.data === undefined) throw new UsageError("--data is required");
    if (args.folds !== undefined && args.router !== undefined) throw new UsageError("--folds trains its own routers: leave out --router");
    const dataset = readRoutingCsv(args.data, { requireOutcomes: true });
    if (dataset.rows.length === 0) throw new UsageError(`${args.data} has no rows`);
    const rows = labelledRows([dataset]);
    let scores: ArrayLike<number>;
    let label: string;
    if (args.folds !== undefined) {
      const folds = parseFolds(args.folds, 5);
      const version = parseVersion(args.version);
      scores = version === 3 ? stackedHeldOutScores(rows, DEFAULT_TRAIN_OPTIONS, DEFAULT_STACK_SETTINGS, folds).scores : crossValidatedScores(rows, version2Options(DEFAULT_TRAIN_OPTIONS), folds);
      label = `${folds}-fold held-out, version ${version} (trained on ${folds - 1} folds of this file, scored on the fold left out)`;
    } else {
      const router = loadRouter(args.router ?? "builtin");
      const scorer = router.scorer;
      scores = rows.map((row) => scorer.score([{ role: "user", content: row.prompt }]));
      label = `router ${scorer.source} (${scorer.version})`;
      const seen = rows.filter((row) => mayContainPrompt(router.file.trainingPrompts, row.prompt)).length;
      if (seen > rows.length * 0.02) {
        io.stderr(
          `WARNING: ${seen} of ${rows.length} prompts (${((100 * seen) / rows.length).toFixed(0)}%) were in this router's training data: ` +
            `the figures below are training figures, not held-out ones. Use --folds K for held-out figures.\n`,
        );
        for (const h of router.file.heldOut) {
          io.stderr(`  the router file's own ${h.folds}-fold held-out figures for ${h.data}: APGR ${h.apgr.toFixed(3)}, CPT(50%) ${pct(h.cpt50).trim()}, CPT(80%) ${pct(h.cpt80).trim()}, 95% share ${pct(h.share95).trim()}\n`);
        }
      }
    }
    const curve = computeRoutingCurve(scores, rows);
    const oracle = computeRoutingCurve(rows.map((r) => (r.strongCorrect ? 1 : 0) - (r.weakCorrect ? 1 : 0)), rows);
    const random = randomRouterFigures(curve);
    const line = (name: string, f: { apgr: number; cpt50: number; cpt80: number; share95: number }): string =>
      `${name.padEnd(8)} ${f.apgr.toFixed(3).padStart(6)} ${pct(f.cpt50)} ${pct(f.cpt80)} ${pct(f.share95)}`;
    const svgPath = args.svg ?? `router-eval-${dataset.name}.svg`;
    writeFileSync(
      svgPath,
      renderRoutingCurveSvg(`${dataset.name}: APGR ${curve.apgr.toFixed(3)}`, [
        { label: "router", color: "#1f6feb", points: thinCurve(curve.points) },
        { label: "random", color: "#888", dashed: true, points: [{ strongShare: 0, pgr: 0 }, { strongShare: 1, pgr: 1 }] },
        { label: "oracle", color: "#2da44e", points: thinCurve(oracle.points) },
      ]),
    );
    io.stdout(
      [
        `${args.data}: ${rows.length} prompts; weak ${pct(curve.weakQuality).trim()}, strong ${pct(curve.strongQuality).trim()} correct`,
        label,
        `${"".padEnd(8)} ${"APGR".padStart(6)} ${"CPT(50%)".padStart(9)} ${"CPT(80%)".padStart(9)} ${"95% share".padStart(9)}`,
        line("router", curve),
        line("random", random),
        line("oracle", oracle),
        `curve: ${svgPath}`,
        "",
      ].join("\n"),
    );
  });
}
