import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import swc from "unplugin-swc";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

export default defineConfig({
  // SWC (not esbuild) so that type-graphql sees decorator metadata.
  plugins: [swc.vite({ module: { type: "es6" } })],
  resolve: {
    // One graphql instance: inlined modules must load the same copy Node loads for Apollo and graphql-ws.
    alias: [{ find: /^graphql$/, replacement: require.resolve("graphql") }],
  },
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // One PGlite migrated per run; each file loads a copy (test/helpers/test-database.ts).
    globalSetup: ["test/helpers/pglite-template.ts"],
    server: { deps: { inline: ["type-graphql", "graphql-scalars"] } },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // At least two files at a time (vitest's own default on 2 cores is one): a file waits on sockets, timers, child
    // processes and the database much of its time. Measured on 24 files at load 2: 58–63 s wall with one, 43–45 s
    // with two, the same CPU.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
