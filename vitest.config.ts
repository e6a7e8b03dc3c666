import { createRequire } from "node:module";
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
  },
});
