// Node module hooks that run the TypeScript sources directly, compiled by SWC with decorator
// metadata (type-graphql needs it; esbuild-based runners such as tsx cannot emit it). Used by
// tests that start `src/main.ts` as its own process: node --import ./test/helpers/swc-node/register.mjs src/main.ts
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { transform } from "@swc/core";

export async function resolve(specifier, context, nextResolve) {
  // Sources import each other as `./x.js` (NodeNext); the file on disk is `./x.ts`.
  if (specifier.endsWith(".js") && (specifier.startsWith(".") || specifier.startsWith("file:")) && context.parentURL?.startsWith("file:")) {
    const candidate = new URL(specifier.replace(/\.js$/, ".ts"), context.parentURL);
    if (!existsSync(fileURLToPath(new URL(specifier, context.parentURL))) && existsSync(fileURLToPath(candidate))) {
      return nextResolve(candidate.href, context);
    }
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith("file:") || !url.endsWith(".ts")) return nextLoad(url, context);
  const path = fileURLToPath(url);
  const output = await transform(await readFile(path, "utf8"), {
    filename: path,
    sourceMaps: "inline",
    module: { type: "es6" },
    jsc: {
      target: "es2022",
      parser: { syntax: "typescript", decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      keepClassNames: true,
    },
  });
  return { format: "module", source: output.code, shortCircuit: true };
}
