import swc from "unplugin-swc";
import { defineConfig } from "vitest/config";

// SWC (not esbuild) so that type-graphql sees decorator metadata.
export default defineConfig({
  plugins: [swc.vite({ module: { type: "es6" } })],
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    server: { deps: { inline: ["type-graphql"] } },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
