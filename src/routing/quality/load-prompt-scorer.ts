import { readFileSync } from "node:fs";
import { join } from "node:path";
import { findProjectRoot } from "../../server/find-project-root.js";
import { createPromptScorer } from "./create-prompt-scorer.js";
import type { PromptScorer } from "./prompt-scorer.js";
import { parseRouterFile, type RouterFile } from "./router-file.js";
import { RouterFileError } from "./router-file-error.js";

/** Where the shipped router lives, from src/ or dist/src/ alike (tsc does not copy JSON files). */
export function builtinRouterPath(root: string = findProjectRoot()): string {
  return join(root, "src", "routing", "quality", "builtin-router.json");
}

export interface LoadedRouter {
  file: RouterFile;
  scorer: PromptScorer;
  path: string;
}

/** Reads and checks a router file; a missing, corrupt or wrong-version file is a RouterFileError naming it. */
export function loadRouter(spec: "builtin" | string): LoadedRouter {
  const path = spec === "builtin" ? builtinRouterPath() : spec;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : `cannot be read (${code ?? String(error)})`;
    throw new RouterFileError(path, reason, { cause: error });
  }
  const file = parseRouterFile(path, text);
  return { file, path, scorer: createPromptScorer(file, spec === "builtin" ? "builtin" : path, text) };
}

/**
 * The scorer for a quality group's `router:` setting: "builtin" (the shipped router) or a path to
 * a file made by `router:train`. Synchronous, so a config loader can call it while checking the
 * config; throws RouterFileError (with `file` and `reason`) for a file that cannot be used.
 */
export function loadPromptScorer(spec: "builtin" | string): PromptScorer {
  return loadRouter(spec).scorer;
}
