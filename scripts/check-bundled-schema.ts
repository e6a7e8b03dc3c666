/**
 * Starts the built server as it ships (`node dist/src/main.js`, the esbuild bundle) on embedded PGlite in a
 * scratch folder, with one simulated model, and fails unless
 *   1. its introspection, printed, equals schema/schema.graphql (the schema the sources build), and
 *   2. a document typed with the schema's input names (`$input: CompletionInput!`) runs.
 * The bundle once renamed colliding classes and type-graphql named GraphQL types after them, so the bundled
 * server served `CompletionInput2` while every check on the sources passed. Run by `.ci/run` after the schema
 * drift check: `npm run -s schema:check-bundled`.
 *
 * The introspection asks for everything graphql-js can report (scalars' @specifiedBy, deprecated arguments and
 * input fields, directive definitions, @oneOf, the schema's description); no normalisation is applied beyond
 * the sort that `npm run schema:emit` applies too. Usages of other directives are not part of introspection:
 * the checked-in file has none (emit-schema prints the same way), so the comparison is exact.
 */
import "reflect-metadata";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildClientSchema, getIntrospectionQuery, lexicographicSortSchema, printSchema, type IntrospectionQuery } from "graphql";
import { gatewayConfigHead } from "../bench/gateway-config-head.js";
import { spawnNodeChild, type ChildHandle } from "../bench/spawn-child.js";
import { findProjectRoot } from "../src/server/find-project-root.js";

const TIME_LIMIT_MS = 90_000;
const MODEL = "bundle-check";

const COMPLETE = `mutation BundleCheck($input: CompletionInput!) {
  complete(input: $input) { id modelGroup deployment provider finishReason message { role content } usage { promptTokens completionTokens } }
}`;

function gatewayConfig(dataDir: string): string {
  return [
    ...gatewayConfigHead({ dataDir }),
    "models:",
    `  - name: ${MODEL}`,
    "    retries: 0",
    "    deployments:",
    "      - id: bundle-check-sim",
    "        provider: simulator",
    "        model: bundle-check-model",
    "        pricing: { inputPerMTok: 1, outputPerMTok: 1 }",
    "        simulate: { firstTokenMs: 0, tokensPerSecond: 100000, outputTokens: 4 }",
    "",
  ].join("\n");
}

async function post(url: string, body: unknown): Promise<{ data?: Record<string, unknown>; errors?: unknown[] }> {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  try {
    return JSON.parse(text) as { data?: Record<string, unknown>; errors?: unknown[] };
  } catch {
    throw new Error(`POST /graphql answered ${response.status} with a body that is not JSON: ${text.slice(0, 500)}`);
  }
}

/** What differs between the checked-in schema and the served one, in words a reader can act on. */
function describeDifference(expected: string, served: string): string {
  const typeNames = (text: string) => new Set([...text.matchAll(/^(?:type|input|enum|scalar|union|interface) (\w+)/gm)].map((match) => match[1]!));
  const expectedTypes = typeNames(expected);
  const servedTypes = typeNames(served);
  const missing = [...expectedTypes].filter((name) => !servedTypes.has(name));
  const extra = [...servedTypes].filter((name) => !expectedTypes.has(name));
  const lines: string[] = [];
  if (missing.length > 0) lines.push(`  types in schema/schema.graphql the bundle does not serve: ${missing.join(", ")}`);
  if (extra.length > 0) lines.push(`  types the bundle serves that schema/schema.graphql does not have: ${extra.join(", ")}`);
  const a = expected.split("\n");
  const b = served.split("\n");
  const first = a.findIndex((line, index) => line !== b[index]);
  const at = first === -1 ? Math.min(a.length, b.length) : first;
  lines.push(`  first difference at line ${at + 1} (after the file's header):`);
  lines.push(`    schema/schema.graphql: ${JSON.stringify(a[at] ?? "<end>")}`);
  lines.push(`    bundled server:        ${JSON.stringify(b[at] ?? "<end>")}`);
  return lines.join("\n");
}

async function check(root: string, scratch: string, started: (handle: ChildHandle) => void): Promise<void> {
  const configPath = join(scratch, "switchyard.yaml");
  writeFileSync(configPath, gatewayConfig(join(scratch, "pgdata")));
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: "0" };
  // Only the scratch config decides: nothing inherited may point the server elsewhere. Apollo Server
  // refuses introspection under NODE_ENV=production, so that is left unset as in a plain `npm start`.
  for (const name of ["NODE_ENV", "DATABASE_URL", "DATABASE_READ_URL", "SWITCHYARD_CONFIG", "SWITCHYARD_MASTER_KEY", "SWITCHYARD_REDIS_URL", "REDIS_URL"]) delete env[name];
  for (const name of Object.keys(env)) if (name.startsWith("OTEL_")) delete env[name];
  const gateway = await spawnNodeChild({
    name: "node dist/src/main.js",
    args: [join(root, "dist", "src", "main.js"), "--config", configPath],
    env,
    cwd: scratch,
    readyPattern: /Switchyard on (http:\/\/\S+)/,
    readyTimeoutMs: 60_000,
  });
  started(gateway);

  const introspection = await post(gateway.url, {
    query: getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true, oneOf: true }),
  });
  if (introspection.errors || !introspection.data) {
    throw new Error(`the introspection query failed: ${JSON.stringify(introspection.errors ?? introspection)}`);
  }
  const served = printSchema(lexicographicSortSchema(buildClientSchema(introspection.data as unknown as IntrospectionQuery)));
  // The file is a comment header, a blank line, the printed schema and a final newline (scripts/emit-schema.ts).
  const expected = readFileSync(join(root, "schema", "schema.graphql"), "utf8").replace(/^(#.*\n)+\n/, "").replace(/\n$/, "");
  // Both checks run, so that one failure does not hide the other.
  const problems: string[] = [];
  if (served === expected) process.stdout.write("the bundled server's introspection equals schema/schema.graphql\n");
  else problems.push(`the bundled server's schema differs from schema/schema.graphql:\n${describeDifference(expected, served)}`);

  const completion = await post(gateway.url, {
    query: COMPLETE,
    variables: { input: { model: MODEL, messages: [{ role: "USER", content: "Say something." }], maxTokens: 8 } },
  });
  const complete = completion.data?.complete as { modelGroup?: string; message?: { content?: string | null } } | undefined;
  if (completion.errors || complete?.modelGroup !== MODEL || !complete.message?.content) {
    problems.push(`a typed document (mutation($input: CompletionInput!) { complete … }) failed on the bundled server: ${JSON.stringify(completion)}`);
  } else {
    process.stdout.write(`the bundled server ran mutation($input: CompletionInput!) on ${MODEL}: ${JSON.stringify(complete.message.content)}\n`);
  }
  if (problems.length > 0) throw new Error(problems.join("\n"));
}

async function main(): Promise<number> {
  const root = findProjectRoot();
  const scratch = mkdtempSync(join(tmpdir(), "switchyard-bundle-check-"));
  let gateway: ChildHandle | undefined;
  const cleanUp = async (): Promise<void> => {
    await gateway?.stop(5_000);
    rmSync(scratch, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    void cleanUp().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  let limit: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(root, scratch, (handle) => (gateway = handle)),
      new Promise<never>((_, reject) => {
        limit = setTimeout(() => reject(new Error(`the check took longer than ${TIME_LIMIT_MS / 1000} s`)), TIME_LIMIT_MS);
      }),
    ]);
    return 0;
  } catch (error) {
    const output = gateway?.output().trim();
    process.stderr.write(`Bundled server check FAILED: ${error instanceof Error ? error.message : String(error)}\n`);
    if (output) process.stderr.write(`--- the server's last output ---\n${output}\n`);
    return 1;
  } finally {
    clearTimeout(limit);
    await cleanUp();
  }
}

process.exitCode = await main();
