import type { z } from "zod";
import { checkConfigReferences } from "./check-config-references.js";
import { formatPath } from "./config-error.js";
import { configSchema, type Config } from "./config-schema.js";
import type { UnsetVariable } from "./substitute-env.js";

export interface ConfigValidation {
  /** The parsed config, when there is no problem in its shape (reference problems may still be listed). */
  config?: Config;
  /** Every problem found, each led by its path: the shape's, the references', unset variables named. */
  problems: string[];
}

/** Placeholder ids of deployments set aside for a broken shape; problems naming them are not reported. */
const SET_ASIDE = "#set-aside-";
const MAX_REPAIRS = 4;

/**
 * Validates a substituted config tree in one pass: zod's problems with the shape, and the reference
 * checks (unique names, known fallbacks, credentials) on what is left once the broken parts are set
 * aside, so that a typo does not hide a missing key. A problem on a field a `${VAR}` left empty
 * names the variable.
 */
export function validateConfig(raw: unknown, unset: readonly UnsetVariable[] = []): ConfigValidation {
  const parsed = configSchema.safeParse(raw);
  if (parsed.success) return { config: parsed.data, problems: annotate(checkConfigReferences(parsed.data), unset) };

  const shapeProblems = parsed.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
  // Set the broken parts aside and look again, so that the reference checks see the rest.
  let tree = structuredClone(raw);
  const setAside: string[] = [];
  let issues = parsed.error.issues;
  for (let round = 0; round < MAX_REPAIRS; round++) {
    const repaired = setAsideBroken(tree, issues, setAside);
    if (!repaired) break;
    tree = repaired;
    const again = configSchema.safeParse(tree);
    if (again.success) {
      const references = checkConfigReferences(again.data).filter((problem) => !problem.includes(SET_ASIDE) && !setAside.some((prefix) => within(problem, prefix)));
      return { problems: annotate([...shapeProblems, ...references], unset) };
    }
    issues = again.error.issues;
  }
  return { problems: annotate(shapeProblems, unset) };
}

/** `models[0].deployments[1].apiKey: …` is within `models[0].deployments[1]`. */
function within(problem: string, prefix: string): boolean {
  return problem.startsWith(prefix) && /^[.[:]/.test(problem.slice(prefix.length));
}

/** A problem on a field an unset `${VAR}` left empty says so. */
function annotate(problems: string[], unset: readonly UnsetVariable[]): string[] {
  return problems.map((problem) => {
    const variable = unset.find((u) => within(problem, u.path));
    return variable ? `${problem} (\${${variable.name}} is not set in the environment)` : problem;
  });
}

type Tree = Record<string | number, unknown>;

/** A copy with every part an issue points at removed (a deployment becomes a placeholder, keeping its index); undefined when nothing could be removed. */
function setAsideBroken(tree: unknown, issues: readonly z.core.$ZodIssue[], setAside: string[]): unknown {
  const copy = structuredClone(tree) as Tree;
  let changed = false;
  for (const issue of issues) {
    const path = issue.path as PropertyKey[];
    const [models, g, deployments, d] = path;
    if (models === "models" && typeof g === "number" && deployments === "deployments" && typeof d === "number" && path.length >= 4) {
      const list = ((copy.models as Tree[])[g] as Tree).deployments as Tree[];
      const id = list[d]?.id;
      if (typeof id === "string" && id.startsWith(SET_ASIDE)) continue;
      list[d] = { id: `${SET_ASIDE}${typeof id === "string" ? id : `${g}-${d}`}`, provider: "simulator", model: "set-aside" };
      setAside.push(formatPath(path.slice(0, 4)));
      changed = true;
      continue;
    }
    if (issue.code === "unrecognized_keys") {
      const holder = at(copy, path);
      if (holder && typeof holder === "object") {
        for (const key of issue.keys) delete (holder as Tree)[key];
        changed = true;
      }
      continue;
    }
    // Array items go with their array: removing one would move the others' indices.
    let cut = path;
    while (cut.length > 0 && typeof cut[cut.length - 1] === "number") cut = cut.slice(0, -1);
    // A field already removed that is still missing: remove what holds it.
    if (cut.length > 0 && at(copy, cut) === undefined) cut = cut.slice(0, -1);
    while (cut.length > 0 && typeof cut[cut.length - 1] === "number") cut = cut.slice(0, -1);
    if (cut.length === 0) continue;
    const parent = at(copy, cut.slice(0, -1));
    if (parent && typeof parent === "object" && cut[cut.length - 1]! in (parent as object)) {
      delete (parent as Tree)[cut[cut.length - 1] as string];
      setAside.push(formatPath(cut));
      changed = true;
    }
  }
  return changed ? copy : undefined;
}

function at(tree: unknown, path: readonly PropertyKey[]): unknown {
  let node = tree;
  for (const part of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Tree)[part as string];
  }
  return node;
}
