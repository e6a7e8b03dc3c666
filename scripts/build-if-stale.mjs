#!/usr/bin/env node
// Compiles TypeScript to dist/ only when a source is newer than the last build, so that `npm start`
// serves at once after `npm install` (which builds once, through `prepare`) and after any edit
// rebuilds first. `--if-possible` (prepare) skips quietly where the compiler is not installed
// (an install without dev dependencies, e.g. a production image that copies dist/ in).
// Then the migrated database template (dist/pglite-template.tar, which a first start loads instead of
// running initdb and every migration) is rebuilt when drizzle/ or the installed PGlite is newer than it.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const stamp = join(root, "dist", ".build-stamp");
const benchResults = join(root, "bench", "results");
const inputs = ["src", "bench", "scripts", "tsconfig.json", "tsconfig.build.json", "package.json"];
const template = join(root, "dist", "pglite-template.tar.json");
const templateInputs = [join(root, "drizzle"), join(root, "node_modules", "@electric-sql", "pglite", "package.json")];

/** The newest modification time under a file or folder (TypeScript sources, build scripts, SQL and JSON only). */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return /\.(ts|mjs|json|sql)$/.test(path) ? stat.mtimeMs : 0;
  // The benchmark writes its results here; they are outputs, not sources.
  if (path === benchResults) return 0;
  let latest = 0;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
const sources = Math.max(...inputs.map((input) => newest(join(root, input))));
if (built < sources) compile();
if (!existsSync(template) || statSync(template).mtimeMs < Math.max(...templateInputs.map(newest))) buildTemplate();

/** tsc over tsconfig.build.json, the process entries bundled (bundle-server.mjs), then the stamp. */
function compile() {
  let tsc;
  try {
    tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  } catch {
    if (process.argv.includes("--if-possible")) process.exit(0);
    console.error("dist/ is out of date and TypeScript is not installed: run npm install (with dev dependencies) first.");
    process.exit(1);
  }
  const started = Date.now();
  process.stderr.write(built === 0 ? "building Switchyard (once)… " : "sources changed since the last build: rebuilding… ");
  for (const args of [[tsc, "-p", join(root, "tsconfig.build.json")], [join(root, "scripts", "bundle-server.mjs")]]) {
    const result = spawnSync(process.execPath, args, { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
    if (result.status !== 0) {
      process.stderr.write("\n");
      process.exit(result.status ?? 1);
    }
  }
  // The stamp takes the time the build began: a source saved during the build is newer, so the next start rebuilds.
  writeFileSync(stamp, `${new Date(started).toISOString()}\n`);
  utimesSync(stamp, started / 1000, started / 1000);
  process.stderr.write(`done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

/** Without a template a first start still works (initdb and every migration, a few seconds more): a failure here only warns. */
function buildTemplate() {
  const result = spawnSync(process.execPath, [join(root, "dist", "scripts", "build-pglite-template.js"), "--if-stale"], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
  if (result.status !== 0) process.stderr.write("building the migrated database template failed: a first start creates the embedded database from scratch\n");
}
