#!/usr/bin/env node
// Bundles the compiled process entries (dist/src/main.js, `npm start`; dist/src/cli/main.js, the `switchyard`
// command) with esbuild, each in place of tsc's file, so that a start loads a few files instead of about 1,700
// (our modules and the npm packages they import): measured, that is two thirds of the start's module
// loading. Runs after tsc (build-if-stale.mjs and `npm run build`); the rest of dist/ stays as tsc wrote it
// (scripts, the benchmark and tests import those modules). Code that the entries import lazily goes to
// dist/chunks/ and is still only loaded when needed. Source maps follow tsc's back to the TypeScript.
//
// Left outside the bundle, loaded from node_modules as before: packages that find files beside their own
// code (PGlite's WebAssembly, pino's transport worker), those loaded only when configured (node-postgres,
// ioredis, the OpenTelemetry SDK) or at first use (the tokenizer), and optional native add-ons of ws.
//
// Without esbuild installed (an install without dev dependencies) it does nothing: the unbundled entries work
// the same, only their start loads more files.
import { existsSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
// The call log thread's module (src/db/call-log-worker.js) is an entry of its own: a worker thread loads it
// by file (src/db/call-log-worker-entry.ts finds it beside dist/src/main.js's db/ or from dist/chunks/).
const ENTRIES = ["src/main.js", "src/cli/main.js", "src/db/call-log-worker.js"];
const EXTERNAL = [
  "@electric-sql/pglite",
  "@electric-sql/pglite/*",
  "pino",
  "pino-pretty",
  "pg",
  "ioredis",
  "@opentelemetry/*",
  "gpt-tokenizer",
  "bufferutil",
  "utf-8-validate",
];

// graphql-js checks every `instanceof` of its own classes (isScalarType, isNonNullType, … on each variable
// and field of every operation) through `instanceOf`, which outside NODE_ENV=production goes on, for each
// object that is not an instance, to read both classes' names, to tell two copies of graphql apart. The
// bundle holds one copy, so that can never find anything; measured, about a sixth of graphql's own CPU in a
// `complete` mutation. The bundle gets the production variant (a plain instanceof) without setting NODE_ENV,
// which would change other packages' defaults.
const graphqlPlainInstanceOf = {
  name: "graphql-plain-instanceof",
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]graphql[\\/]jsutils[\\/]instanceOf\.m?js$/ }, (args) => ({
      contents: args.path.endsWith(".mjs")
        ? "export const instanceOf = (value, constructor) => value instanceof constructor;"
        : '"use strict"; exports.instanceOf = (value, constructor) => value instanceof constructor;',
      loader: "js",
    }));
  },
};

// graphql's package.json names its CommonJS build first ("main") and its ES modules second ("module"), and
// esbuild on Node takes "main": every `import { … } from "graphql"` of ours and of the packages then read each
// name through two getters per use (esbuild's CommonJS interop, then graphql's index.js re-export), on every
// field a compiled operation completes (isNonNullType, isListType, …). Every import of graphql, its root or a
// file in it, goes to the ES module build instead: one copy still (a CommonJS package's require("graphql")
// gets the same modules), and a name read is a plain reference.
const graphqlRoot = dirname(createRequire(import.meta.url).resolve("graphql/package.json"));
const graphqlEsModules = {
  name: "graphql-es-modules",
  setup(build) {
    build.onResolve({ filter: /^graphql(\/.*)?$/ }, (args) => {
      const file = args.path === "graphql" ? "index" : args.path.slice("graphql/".length).replace(/\.m?js$/, "");
      return { path: join(graphqlRoot, `${file}.mjs`) };
    });
  },
};

let esbuild;
try {
  esbuild = createRequire(import.meta.url)("esbuild");
} catch {
  process.stderr.write("esbuild is not installed: the entries stay unbundled\n");
  process.exit(0);
}
for (const entry of ENTRIES) {
  if (!existsSync(join(dist, entry))) {
    process.stderr.write(`dist/${entry} is missing: compile first (tsc -p tsconfig.build.json)\n`);
    process.exit(1);
  }
}
rmSync(join(dist, "chunks"), { recursive: true, force: true });
try {
  await esbuild.build({
    absWorkingDir: dist,
    entryPoints: Object.fromEntries(ENTRIES.map((entry) => [entry.replace(/\.js$/, ""), entry])),
    outdir: dist,
    allowOverwrite: true,
    bundle: true,
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    format: "esm",
    platform: "node",
    target: "node20",
    sourcemap: true,
    // esbuild renames the classes TypeScript's decorator output shadows (CompletionInput → CompletionInput2),
    // so every type-graphql type is given its GraphQL name in its decorator (@ObjectType("Completion"))
    // instead of taking its class's; `npm run schema:check-bundled` checks what the bundle serves. keepNames
    // would keep class names but wraps every function created at run time in a naming call: measured with
    // CPU profiles of the bundled server, 1-1.4% of its CPU on `complete` and 2.4-2.7% on streams.
    keepNames: false,
    external: EXTERNAL,
    // The CommonJS packages inside the bundle call require() for Node's own modules.
    banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
    logLevel: "warning",
    plugins: [graphqlEsModules, graphqlPlainInstanceOf],
  });
} catch {
  // esbuild has printed the errors.
  process.exit(1);
}
