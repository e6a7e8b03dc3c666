import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseCatalogJson } from "./catalog-entry.js";
import type { ModelPrice } from "./model-price.js";

const FILE_NAME = "price-catalog.json";

/**
 * Where price-catalog.json is: beside this module when running from src/ (vitest, tsx), else —
 * after `tsc`, which copies no JSON into dist/ — in the repository's src/accounting/, found by
 * walking up to the folder that holds package.json.
 */
export function resolveBundledCatalogPath(moduleUrl: string = import.meta.url): string {
  const beside = fileURLToPath(new URL(`./${FILE_NAME}`, moduleUrl));
  if (existsSync(beside)) return beside;
  let dir = dirname(fileURLToPath(moduleUrl));
  for (;;) {
    if (existsSync(join(dir, "package.json"))) {
      const candidate = join(dir, "src", "accounting", FILE_NAME);
      if (existsSync(candidate)) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`price catalog: ${FILE_NAME} not found beside ${moduleUrl} nor under a package root's src/accounting/`);
}

let cached: Readonly<Record<string, ModelPrice>> | undefined;

/** Reads and parses the committed catalog once per process. */
export function loadBundledCatalog(): Readonly<Record<string, ModelPrice>> {
  cached ??= Object.freeze(parseCatalogJson(JSON.parse(readFileSync(resolveBundledCatalogPath(), "utf8"))));
  return cached;
}
