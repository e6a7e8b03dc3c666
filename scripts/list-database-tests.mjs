#!/usr/bin/env node
// Prints the test files whose outcome can depend on the database they run on, one a line: those whose
// imports, followed through every file of the repository they reach, include the database layer
// (src/db/create-database.ts, src/db/open-postgres.ts, test/helpers/test-database.ts, pg or PGlite), a file
// that reads DATABASE_URL, or a way to start other processes (child_process, cluster, worker_threads: what
// those run is not an import). `.ci/run` runs the suite on PGlite, then only these files again on the
// Postgres server: every other file runs the same code either way. `--others` prints the rest instead.
//
// The imports are read from the text (static `import … from`, `export … from`, `import("…")`), so the
// list errs towards including: a file is left out only when nothing it can load reaches a database.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const DATABASE_FILES = new Set(["src/db/create-database.ts", "src/db/open-postgres.ts", "test/helpers/test-database.ts"]);
const DATABASE_PACKAGES = /^(pg|pg-.*|@electric-sql\/pglite(\/.*)?|postgres|drizzle-orm\/(node-postgres|pglite)(\/.*)?)$/;
const PROCESS_MODULES = /^(node:)?(child_process|cluster|worker_threads)$/;
const IMPORT = /(?:^|[\s;])(?:import|export)\s[^;]*?\bfrom\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)|(?:^|[\s;])import\s*["']([^"']+)["']/g;

/** The test files, as vitest.config.ts includes them (src/**, test/**, `*.test.ts`). */
function testFiles() {
  const found = [];
  const walk = (folder) => {
    for (const entry of readdirSync(join(root, folder))) {
      const path = join(folder, entry);
      if (entry === "node_modules") continue;
      if (statSync(join(root, path)).isDirectory()) walk(path);
      else if (path.endsWith(".test.ts")) found.push(path);
    }
  };
  walk("src");
  walk("test");
  return found.sort();
}

/** A relative import's file: sources import `./x.js` and the file is `./x.ts` (NodeNext), or a folder's index. */
function resolveRelative(from, specifier) {
  const base = normalize(join(dirname(from), specifier));
  for (const candidate of [base, base.replace(/\.js$/, ".ts"), base.replace(/\.mjs$/, ".mts"), `${base}.ts`, join(base, "index.ts")]) {
    if (existsSync(join(root, candidate)) && statSync(join(root, candidate)).isFile()) return candidate;
  }
  return undefined;
}

const parsed = new Map();

/** What one file says for itself: whether it reaches a database on its own, and the files it imports. */
function readFile(file) {
  let entry = parsed.get(file);
  if (entry) return entry;
  const text = readFileSync(join(root, file), "utf8");
  entry = { reaches: DATABASE_FILES.has(file) || text.includes("DATABASE_URL"), imports: [] };
  for (const match of text.matchAll(IMPORT)) {
    const specifier = match[1] ?? match[2] ?? match[3];
    if (!specifier.startsWith(".")) {
      if (DATABASE_PACKAGES.test(specifier) || PROCESS_MODULES.test(specifier)) entry.reaches = true;
      continue;
    }
    const target = resolveRelative(file, specifier);
    if (target !== undefined) entry.imports.push(target);
  }
  parsed.set(file, entry);
  return entry;
}

/** Whether the file, or anything it imports at any depth, can reach a database. */
function reachesDatabase(file) {
  const seen = new Set([file]);
  const pending = [file];
  while (pending.length > 0) {
    const entry = readFile(pending.pop());
    if (entry.reaches) return true;
    for (const target of entry.imports) {
      if (!seen.has(target)) {
        seen.add(target);
        pending.push(target);
      }
    }
  }
  return false;
}

const others = process.argv.includes("--others");
for (const file of testFiles()) {
  if (reachesDatabase(file) !== others) process.stdout.write(`${file}\n`);
}
