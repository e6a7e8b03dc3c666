/**
 * The GraphQL layer's own cost of a `complete` mutation, in process: the direct path (create-direct-graphql.ts)
 * with the real schema, document cache and rules, a context built as the server builds it, and a completion
 * service that answers at once with a fixed outcome (so the completion path below the resolver costs nothing).
 * No sockets, so the figure is steady on a loaded machine: CPU µs and allocated bytes per request, and with
 * --cpu-prof a profile of the run.
 *
 *   NODE_ENV=production node dist/bench/graphql-direct-cost.js [--requests 40000] [--rounds 5] [--cpu-prof FILE] [--heap-prof] [--stream]
 *
 * --stream: a `completionStream` subscription per request instead (the bench's graphql-ws document, through the
 * server's subscription executor), read to its end: 8 text chunks and the last one.
 *
 * NODE_ENV=production: graphql-js then checks its classes with a plain instanceof, as in the bundled server
 * (scripts/bundle-server.mjs); this bench imports the unbundled modules.
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { specifiedRules } from "graphql";
import type { CompletionOutcome, StreamChunk } from "../src/gateway/completion-types.js";
import type { CompletionService } from "../src/gateway/create-completion-service.js";
import { completionsForPrincipal } from "../src/governance/completions-for-principal.js";
import type { Principal } from "../src/governance/principal.js";
import { buildGraphQLSchema } from "../src/graphql/build-graphql-schema.js";
import type { GraphQLContext } from "../src/graphql/context.js";
import { withLazyLoaders } from "../src/graphql/loaders.js";
import type { GraphQLServices } from "../src/graphql/services.js";
import { createDirectGraphQL } from "../src/server/create-direct-graphql.js";
import { createDocumentCache } from "../src/server/create-document-cache.js";
import { createSubscriptionExecutor } from "../src/server/create-subscription-executor.js";
import { queryLimitRules } from "../src/server/query-limit-rules.js";
import { COMPLETE_MUTATION_BODY } from "./http-mutation-bench.js";
import { SUBSCRIPTION, SUBSCRIPTION_VARIABLES } from "./ws-ttft-bench.js";

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const outcome = (): CompletionOutcome => ({
  callId: "0193b1a2-7c1d-7000-8000-000000000000",
  modelGroup: "bench",
  deployment: "bench-openai",
  provider: "openai",
  response: {
    id: "chatcmpl-bench",
    model: "gpt-4o-mini",
    message: { role: "assistant", content: "Hello from the simulator, benchmark.", toolCalls: [] },
    finish: { unified: "stop", raw: "stop" },
    usage: { inputTokens: 12, outputTokens: 9, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 },
  },
  costPico: 7_200_000n,
  latencyMs: 1.25,
  attempts: [
    {
      index: 0, modelGroup: "bench", deployment: "bench-openai", provider: "openai", providerModel: "gpt-4o-mini", outcome: "SUCCESS",
      errorKind: null, errorMessage: null, httpStatus: 200, startedAt: new Date(), latencyMs: 1.25, hedged: false,
      promptTokens: 12, completionTokens: 9, cachedTokens: 0, cacheWriteTokens: 0, costPico: 7_200_000n,
    },
  ],
});

async function* chunks(): AsyncGenerator<StreamChunk> {
  const base = { callId: "0193b1a2-7c1d-7000-8000-000000000000", deployment: "bench-openai" };
  for (let index = 0; index < 8; index++) yield { ...base, index, kind: "delta", text: `word${index} ` };
  const { response, costPico } = outcome();
  yield { ...base, index: 8, kind: "done", finish: response.finish, usage: response.usage, costPico, model: response.model };
}

const completions: CompletionService = {
  complete: async () => outcome(),
  stream: () => chunks(),
  embed: () => {
    throw new Error("not in this bench");
  },
} as unknown as CompletionService;

async function main(): Promise<void> {
  if (process.env.NODE_ENV !== "production") console.warn("NODE_ENV is not production: graphql-js's instanceof checks cost more than in the bundled server");
  const requests = Number(option("requests") ?? 40_000);
  const rounds = Number(option("rounds") ?? 5);
  const cpuProfile = option("cpu-prof");
  const schema = await buildGraphQLSchema({ skipCheck: true });
  const documents = createDocumentCache([...specifiedRules, ...queryLimitRules()], { parseOptions: { maxTokens: 1000 } });
  const direct = createDirectGraphQL({ schema, documents, introspection: true, onUnexpectedError: (error) => console.error(error) });
  // As start-switchyard.ts builds it for an admin (open mode) caller.
  const services = { completions } as unknown as GraphQLServices;
  const principal = { kind: "admin", open: true } as Principal;
  const headers = { "content-type": "application/json", accept: undefined, host: "127.0.0.1" };
  const createContext = (signal: AbortSignal | undefined): GraphQLContext => {
    const scoped: GraphQLServices = { ...services, completions: completionsForPrincipal(completions, principal, () => undefined) };
    return withLazyLoaders({ services: scoped, principal, ...(signal ? { signal } : {}) }, scoped);
  };
  const subscribe = createSubscriptionExecutor(schema);
  // graphql-ws gives a subscription's context no signal: leaving calls the stream's return().
  const stream = async (): Promise<void> => {
    const events = await subscribe({ schema, document: documents.parse(SUBSCRIPTION), variableValues: SUBSCRIPTION_VARIABLES, contextValue: createContext(undefined) });
    if (!(Symbol.asyncIterator in events)) throw new Error(`not a stream: ${JSON.stringify(events)}`);
    let count = 0;
    for await (const event of events) {
      // graphql-ws sends each event as one JSON message.
      JSON.stringify({ id: "1", type: "next", payload: event });
      count++;
    }
    if (count !== 9) throw new Error(`${count} events`);
  };
  const once = process.argv.includes("--stream") ? stream : async (connection: AbortSignal): Promise<void> => {
    // The server parses each request's body afresh; its signal is its connection's (client-signal.ts).
    const body = JSON.parse(COMPLETE_MUTATION_BODY) as unknown;
    const outcome = await direct(headers, body, () => createContext(connection));
    if (!("answer" in outcome) || outcome.answer.body.kind !== "complete" || !outcome.answer.body.string.includes('"content"')) throw new Error(`not answered directly: ${JSON.stringify(outcome)}`);
  };
  const run = async (count: number): Promise<void> => {
    // 16 at once, as the closed-loop benchmark's connections.
    let next = 0;
    await Promise.all(Array.from({ length: 16 }, async () => {
      const connection = new AbortController().signal;
      while (next++ < count) await once(connection);
    }));
  };
  await run(20_000);
  const session = new Session();
  session.connect();
  if (cpuProfile) {
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 50 });
    await session.post("Profiler.start");
  }
  const cpu: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const before = process.cpuUsage();
    await run(requests);
    const used = process.cpuUsage(before);
    cpu.push((used.user + used.system) / requests);
  }
  if (cpuProfile) {
    const { profile } = await session.post("Profiler.stop");
    writeFileSync(cpuProfile, JSON.stringify(profile));
  }
  // Allocation: V8's sampling heap profiler, counting what minor and major GCs collected too.
  await session.post("HeapProfiler.enable");
  await session.post("HeapProfiler.startSampling", { samplingInterval: 256, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true });
  await run(requests);
  const { profile: heap } = await session.post("HeapProfiler.stopSampling");
  const byFunction = new Map<string, number>();
  let bytes = 0;
  const walk = (node: typeof heap.head): void => {
    bytes += node.selfSize;
    if (node.selfSize > 0) {
      const key = `${node.callFrame.functionName || "(anonymous)"} ${node.callFrame.url.replace(/^.*\/(node_modules|dist)\//, "")}:${node.callFrame.lineNumber + 1}`;
      byFunction.set(key, (byFunction.get(key) ?? 0) + node.selfSize);
    }
    node.children.forEach(walk);
  };
  walk(heap.head);
  session.disconnect();
  const sorted = [...cpu].sort((a, b) => a - b);
  console.log(`CPU µs per request, ${rounds} rounds of ${requests}: median ${sorted[Math.floor(rounds / 2)]!.toFixed(2)} (${cpu.map((v) => v.toFixed(2)).join(" ")})`);
  console.log(`allocated bytes per request: ${(bytes / requests).toFixed(0)}`);
  if (process.argv.includes("--heap-prof")) {
    for (const [key, size] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`  ${(size / requests).toFixed(0).padStart(6)}  ${key}`);
  }
}

await main();
