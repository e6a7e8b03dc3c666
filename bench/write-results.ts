import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Writes the figures to `<dir>/<ISO timestamp>.json` and `<dir>/latest.json`; returns the first path. */
export function writeResults(dir: string, results: object, at: Date = new Date()): string {
  mkdirSync(dir, { recursive: true });
  // Colons are not allowed in file names everywhere; the rest of the ISO form stays.
  const file = join(dir, `${at.toISOString().replace(/:/g, "-")}.json`);
  const text = `${JSON.stringify(results, null, 2)}\n`;
  writeFileSync(file, text);
  writeFileSync(join(dir, "latest.json"), text);
  return file;
}
