import { readFileSync, writeFileSync } from "node:fs";
import { relative } from "node:path";

/**
 * The common tail of the docs generators: with `--check` on the command line, exit 1 when `target`
 * differs from `text` (a missing file counts as out of date); otherwise write it.
 * `source` names what the file is generated from, `command` how to regenerate it.
 */
export function writeOrCheck(target, text, { source, command }) {
  const name = relative(process.cwd(), target);
  if (process.argv.includes("--check")) {
    let current = "";
    try {
      current = readFileSync(target, "utf8");
    } catch {
      // Missing counts as out of date.
    }
    if (current !== text) {
      console.error(`${name} is out of date with ${source}: run ${command}`);
      process.exit(1);
    }
    console.log(`${name} matches ${source}.`);
  } else {
    writeFileSync(target, text);
    console.log(`wrote ${target}`);
  }
}
