import "reflect-metadata";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { startSwitchyard } from "../src/app/start-switchyard.js";
import { loadConfig } from "../src/config/index.js";
import { fragmentDoublingDocument, schemaAliasDocument, typenameAliasDocument } from "./hostile-documents.js";

/**
 * The hostile documents of issue 10 (and 600 aliases of a whole-schema introspection) against a real gateway (open dev mode, embedded PGlite),
 * one POST /graphql each after a warm-up request: time to answer, status, first error code, and RSS
 * afterwards. The optional last argument is `server.graphql` as YAML flow, e.g. to raise the size caps:
 *   node --import ./test/helpers/swc-node/register.mjs bench/graphql-limits-probe.ts [depth] [aliases] ['{ maxDocumentBytes: 16000000 }']
 */

async function main(): Promise<void> {
  const depth = Number(process.argv[2] ?? 22);
  const aliases = Number(process.argv[3] ?? 700_000);
  const limits = process.argv[4] ? `server: { graphql: ${process.argv[4]} }\n` : "";
  const dir = mkdtempSync(join(tmpdir(), "switchyard-probe-"));
  const config = loadConfig({ text: `${limits}database: { dataDir: ${JSON.stringify(join(dir, "pg"))} }\nmodels:\n  - name: m\n    deployments:\n      - { id: d, provider: simulator, model: gpt-4o-mini }\n`, env: {} });
  const switchyard = await startSwitchyard({ config, logger: pino({ level: "silent" }), port: 0, host: "127.0.0.1", stateDir: dir });
  const post = (query: string) => fetch(`${switchyard.url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
  try {
    await (await post("{ __typename }")).json();
    console.log(`warm, RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`);
    for (const [name, query] of [
      [`fragment doubling, ${depth} deep`, fragmentDoublingDocument(depth)],
      [`${aliases} __typename aliases`, typenameAliasDocument(aliases)],
      ["600 __schema aliases", schemaAliasDocument(600)],
    ] as const) {
      // Twice: the first time includes compiling the code paths this document takes.
      for (const round of ["first", "again"]) {
        const started = performance.now();
        const response = await post(query);
        const body = (await response.json()) as { errors?: Array<{ message: string; extensions?: { code?: string } }> };
        const ms = performance.now() - started;
        const error = body.errors?.[0];
        const rssMb = process.memoryUsage().rss / 2 ** 20;
        console.log(
          `${name} (${round}): ${Buffer.byteLength(query)} bytes → ${response.status} in ${ms.toFixed(0)} ms, ` +
            `${error ? `${error.extensions?.code}: ${error.message.slice(0, 100)}` : "no error"}; RSS ${rssMb.toFixed(0)} MB`,
        );
      }
    }
  } finally {
    await switchyard.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
