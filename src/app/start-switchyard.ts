import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import {
  createPriceCatalog,
  computeCostPico,
  picoToUsdNumber,
  resolveDeploymentPrice,
  type ModelPrice,
} from "../accounting/index.js";
import type { Config, DeploymentConfig, TelemetrySettings } from "../config/index.js";
import { ConfigError } from "../config/index.js";
import { GatewayError } from "../core/index.js";
import { deploymentPath, providerExtra, simulatedSettings } from "./adapter-settings.js";
import { createCallLogWriter, createCallPartitionKeeper, createCallsRepository, createCallRetention, createDatabase, createFeedbackRepository, createDeploymentOutcomesRepository, createRollupMerger, createStoredResponsesRepository, createUsageRepository, type CallLogWriter, type Database, type RollupMerger } from "../db/index.js";
import { createGovernanceRepository } from "../db/governance-repository.js";
import { createKeyTeamReads, scopeKeyTeamReads } from "../db/key-team-reads.js";
import { scopeCallRepositories } from "../db/scope-call-repositories.js";
import { createTokenTotalsReads, scopeTokenTotalsReads } from "../db/token-totals-reads.js";
import { createCostWhatIf } from "../gateway/create-cost-what-if.js";
import { createRoutingSavings, topTierPrice, type TieredGroup } from "../gateway/create-routing-savings.js";
import { createRoutingTotalsReads, scopeRoutingTotalsReads } from "../db/routing-totals-reads.js";
import { createCompletionService } from "../gateway/create-completion-service.js";
import { createFeedbackService } from "../gateway/create-feedback-service.js";
import { createHealthService } from "../gateway/create-health-service.js";
import { completionsForPrincipal, createGovernance, createKeyAdmin, createKeyDirectory, createWorstCaseCost, matchesAnyGlob } from "../governance/index.js";
import { buildGraphQLSchema } from "../graphql/build-graphql-schema.js";
import type { Principal } from "../governance/principal.js";
import { withLazyLoaders } from "../graphql/loaders.js";
import type { GraphQLServices, ModelGroupInfo } from "../graphql/services.js";
import { createAdapter, SUPPORTED_PROVIDERS } from "../providers/create-adapter.js";
import { createHttpClient, type HttpClient } from "../providers/http/create-http-client.js";
import type { ProviderAdapter } from "../providers/spec.js";
import { createRouter } from "../routing/index.js";
import { loadPromptScorer } from "../routing/quality/load-prompt-scorer.js";
import type { TierPolicy } from "../routing/quality/tier-policy.js";
import { createServer, type RunningServer } from "../server/create-server.js";
import { createAnthropicRoutes } from "../server/anthropic-messages/create-anthropic-routes.js";
import { chainRoutes } from "../server/chain-routes.js";
import { createOpenAIRoutes } from "../server/openai-compat/create-openai-routes.js";
import { createResponsesRoutes } from "../server/responses/create-responses-routes.js";
import { createOriginPolicy, isLoopbackHost, isLoopbackHostHeader } from "../server/origin-policy.js";
import { createPlayground } from "../server/playground.js";
import { createSimulator, type Simulator } from "../simulator/index.js";
import { startTraceExport, type Tracing } from "../telemetry/index.js";
import { createMemoryStateStore, createRedisHealthShare, createRedisStateStore, type StateStore } from "../state/index.js";
import { redactUrl } from "../state/create-redis-state-store.js";
import { bindHttpServer } from "../server/bind-http-server.js";
import { noteRequestCall } from "../server/request-log.js";
import { buildModelGroups } from "./build-model-groups.js";
import { databaseOptions } from "./database-options.js";
import { CloseError, createCloseSteps, type CloseSteps } from "./close-steps.js";
import { buildTierPolicies, type LoadScorer } from "./build-tier-policies.js";
import { adaptThresholdsOnFeedback } from "./adapt-thresholds-on-feedback.js";
import { createMetrics } from "./create-metrics.js";
import { readSafelist } from "./read-safelist.js";
import type { Safelist } from "../server/safelist.js";
import { openReadReplica } from "./open-read-replica.js";
import { noteReplicaReads, type ReplicaReads } from "../graphql/note-replica-reads.js";
import { clusterWorkerMetrics } from "./cluster-metrics.js";
import { spillDirOf, WORKER_HEADER } from "./worker-slots.js";

/** Where the call log's spill files go unless StartOptions.stateDir says otherwise. */
export const DEFAULT_STATE_DIR = "./.switchyard";

export interface StartOptions {
  config: Config;
  logger: Logger;
  /** Overrides config.server.port (tests use 0). */
  port?: number;
  host?: string;
  /** An already open database (tests share one); otherwise opened from config.database. */
  database?: Database;
  /** An already open read replica of it; otherwise opened from config.database.readUrl when set. */
  readDatabase?: Database;
  /** Where spill files of the call log go when the database is down. */
  stateDir?: string;
  /** SWITCHYARD_MASTER_KEY (admin); absent = open dev mode. */
  masterKey?: string;
  /** Live counters, limits and reservations; otherwise Redis when config.state.redis.url is set, else in memory. */
  stateStore?: StateStore;
  /** Loads the router of quality and cascade groups ("builtin" or a router file's path). */
  loadScorer?: LoadScorer;
  /** Trace export from the OTEL_* variables (runtime settings); absent = tracing off. */
  telemetry?: TelemetrySettings;
  /** Spans go here instead (tests pass one over an in-memory exporter); wins over `telemetry`. */
  tracing?: Tracing;
  /**
   * Set in a cluster worker (server.workers > 1, see serve-cluster.ts): the primary applied the
   * migrations, the call log spills to the slot's own folder, answers carry `x-switchyard-worker`
   * (this process's pid) and /metrics sums every worker.
   */
  worker?: { slot: number };
}


export interface Switchyard {
  /** The base URL for a client on this machine. */
  url: string;
  /** What is bound, e.g. `127.0.0.1:4000` or `0.0.0.0:4000` (every interface). */
  listening: string;
  database: Database;
  callLog: CallLogWriter;
  /** Folds the call log's rollup increments into call_rollups in the background. */
  rollupMerger: RollupMerger;
  simulator?: Simulator;
  server: RunningServer;
  /** Stops taking requests, drains the call log, closes everything it opened. */
  close(): Promise<void>;
}

/** The composition root: config in, a listening gateway out. */
export async function startSwitchyard(options: StartOptions): Promise<Switchyard> {
  const { config, logger } = options;
  const unsupported = config.models.flatMap((group, g) =>
    group.deployments.flatMap((d, i) =>
      SUPPORTED_PROVIDERS.has(d.provider) ? [] : [`models[${g}].deployments[${i}].provider: provider "${d.provider}" is not supported by this build yet`],
    ),
  );
  if (unsupported.length > 0) throw new ConfigError("config", unsupported);
  const host = options.host ?? config.server.host;
  if (!options.masterKey && !isLoopbackHost(host) && !config.server.allowOpenModeOnNetwork) {
    throw new ConfigError("config", [
      `server.host: "${host}" is reachable from the network, and without SWITCHYARD_MASTER_KEY (open dev mode) every caller is admin. ` +
        "Set SWITCHYARD_MASTER_KEY, listen on 127.0.0.1, or set server.allowOpenModeOnNetwork: true to accept the risk",
    ]);
  }
  // Router files are read before anything is opened: a bad one stops the start with its config path.
  const policies = buildTierPolicies(config, options.loadScorer ?? loadPromptScorer);
  const safelistConfig = config.server.graphql.safelist;
  const safelist = safelistConfig ? readSafelist(safelistConfig.manifest) : undefined;

  // Everything opened from here on is closed again, in reverse order, when a later step fails.
  const steps = createCloseSteps();
  try {
    return await open(options, host, policies, safelist, steps);
  } catch (error) {
    for (const failure of await steps.run()) logger.error({ err: failure }, "closing what a failed start had opened");
    throw error;
  }
}

async function open(options: StartOptions, host: string, policies: Map<string, TierPolicy>, safelist: Safelist | undefined, steps: CloseSteps): Promise<Switchyard> {
  const { config, logger } = options;
  // The port first: a busy port fails the start before any database is opened or migrated.
  const bound = await bindHttpServer(config.server, logger, options.port ?? config.server.port, host);
  steps.add("the HTTP port", () => bound.close());
  if (options.worker) {
    const pid = String(process.pid);
    bound.httpServer.prependListener("request", (_request: IncomingMessage, response: ServerResponse) => response.setHeader(WORKER_HEADER, pid));
  }

  // Redis next: when it does not answer, start fails with a StateStoreError before the database is opened.
  const redis = config.state.redis;
  const redisStore =
    options.stateStore === undefined && redis.url !== undefined
      ? await createRedisStateStore({
          url: redis.url,
          keyPrefix: redis.keyPrefix,
          leaseTtlMs: redis.leaseTtlMs,
          onConnectionError: (error) => logger.warn({ err: error }, "the Redis state store's connection failed; reconnecting"),
        })
      : undefined;
  if (redisStore) steps.add("the Redis state store", () => redisStore.close());
  if (redisStore) logger.info({ redis: redactUrl(redis.url!), keyPrefix: redis.keyPrefix }, "state store: Redis, shared by every instance");
  const stateStore = options.stateStore ?? redisStore ?? createMemoryStateStore();

  const stateDir = options.stateDir ?? DEFAULT_STATE_DIR;
  const ownsDatabase = options.database === undefined;
  const database =
    options.database ??
    (await createDatabase(databaseOptions(config, logger)));
  if (ownsDatabase) steps.add("the database", () => database.close());
  // Several workers share one database: the primary migrated it before forking them.
  if (!options.worker) await database.migrate();
  const reads = await openReadReplica(
    { ...(config.database.readUrl ? { readUrl: config.database.readUrl } : {}), ...(options.readDatabase ? { readDatabase: options.readDatabase } : {}), logger },
    database,
    steps,
  );
  // Partitions for today and the days ahead exist before the first call is written (a miss only costs speed: the DEFAULT partition takes the rows).
  const partitionKeeper = createCallPartitionKeeper({
    db: database.db,
    partitionDays: config.database.callLog.partitionDays,
    aheadDays: config.database.callLog.partitionAheadDays,
    logger,
  });
  steps.add("the call partition keeper", () => partitionKeeper.close());
  await partitionKeeper.ensure().catch((error: unknown) => logger.warn({ err: error instanceof Error ? error.message : String(error) }, "creating call log partitions failed; will retry"));
  // Closed after the call log (steps run in reverse): the last rollup increments are merged too.
  const rollupMerger = createRollupMerger({ db: database.db, logger });
  steps.add("the rollup merger", () => rollupMerger.close());
  const callLog = createCallLogWriter({ db: database.db, logger, spillDir: spillDirOf(stateDir, options.worker?.slot), writeAhead: config.database.callLog.writeAhead });
  steps.add("the call log", async () => {
    const before = callLog.stats();
    try {
      await callLog.close();
    } finally {
      const after = callLog.stats();
      logger.info(
        { stored: after.written - before.written, spilled: after.spilled - before.spilled, lost: after.lost - before.lost, wasBuffered: before.buffered },
        "call log drained",
      );
    }
  });

  const feedbackRepository = createFeedbackRepository(database.db);
  const readDb = reads?.database.db ?? database.db;
  const retention =
    config.database.callRetentionDays === undefined ? undefined : createCallRetention({ db: database.db, days: config.database.callRetentionDays, logger });
  if (retention) steps.add("call retention", () => retention.close());

  const catalog = createPriceCatalog();
  const prices = new Map<string, ModelPrice | undefined>();
  const priceFor = (d: DeploymentConfig) => {
    if (!prices.has(d.id)) {
      const provider = d.provider === "simulator" || d.provider === "openai-compatible" ? undefined : d.provider;
      prices.set(d.id, resolveDeploymentPrice(catalog, {
        model: d.model,
        ...(provider ? { provider } : {}),
        ...(d.pricing ? { override: d.pricing } : {}),
        ...(d.contextWindow ? { contextWindow: d.contextWindow } : {}),
        ...(d.maxOutputTokens ? { maxOutputTokens: d.maxOutputTokens } : {}),
      }));
    }
    return prices.get(d.id);
  };
  for (const group of config.models) for (const d of group.deployments) {
    if (!priceFor(d)) {
      logger.warn(
        { deployment: d.id, model: d.model, allowUnpriced: d.allowUnpriced === true },
        `no price known for deployment "${d.id}" (model ${d.model}): its calls are recorded as unpriced (cost unknown, not 0) and keys with a budget are kept off it unless allowUnpriced: true; set pricing in the config`,
      );
    }
  }

  const isSimulated = (d: DeploymentConfig) => d.provider === "simulator" || d.simulate !== undefined;
  const needsSimulator = config.models.some((group) => group.deployments.some(isSimulated));
  const simulator = needsSimulator ? createSimulator({ seed: config.simulator.seed }) : undefined;
  if (simulator) steps.add("the simulator", () => simulator.close());
  const simulatorUrl = simulator ? await simulator.listen(0, "127.0.0.1") : undefined;
  // One pool per distinct (connections, http2): deployments on one origin with the same settings share it.
  const httpClients = new Map<string, HttpClient>();
  const httpClientFor = (d: DeploymentConfig): HttpClient => {
    const connections = d.connections ?? config.router.connections;
    const http2 = d.http2 ?? config.router.http2;
    const key = `${connections}/${http2}`;
    let client = httpClients.get(key);
    if (client === undefined) httpClients.set(key, (client = createHttpClient({ ...(connections !== undefined ? { connections } : {}), http2 })));
    return client;
  };
  steps.add("provider connections", () => Promise.all([...httpClients.values()].map((c) => c.close())));
  const adapters: ProviderAdapter[] = [];
  steps.add("provider adapters", () => Promise.all(adapters.map((a) => a.close?.())));
  const adapterFor = (d: DeploymentConfig): ProviderAdapter => {
    let settings = { provider: d.provider, baseUrl: d.baseUrl ?? "", ...(d.apiKey ? { apiKey: d.apiKey } : {}), extra: providerExtra(d) };
    if (isSimulated(d)) {
      // Any provider's wire format, served by the built-in simulator under this deployment's own profile.
      simulator!.setProfile(d.id, { ...(d.simulate ?? {}) });
      settings = simulatedSettings(d, `${simulatorUrl}/p/${encodeURIComponent(d.id)}`, settings.extra);
    }
    try {
      const adapter = createAdapter(settings, httpClientFor(d));
      adapters.push(adapter);
      return adapter;
    } catch (error) {
      throw new ConfigError("config", [`${deploymentPath(config, d)}: ${error instanceof Error ? error.message : String(error)}`]);
    }
  };

  const groups = buildModelGroups(config, adapterFor, priceFor, policies);
  const deploymentPrices = new Map<string, ModelPrice | undefined>();
  for (const group of config.models) for (const d of group.deployments) deploymentPrices.set(d.id, priceFor(d));

  // With Redis, cooldowns, failure counts and half-open probes are the cluster's, not this instance's.
  const healthShare = redisStore
    ? await createRedisHealthShare({
        client: redisStore.client,
        keyPrefix: redis.keyPrefix,
        cooldown: config.router.cooldown,
        deployments: config.models.flatMap((group) => group.deployments.map((d) => d.id)),
        logger,
      })
    : undefined;
  if (healthShare) steps.add("the shared health", () => healthShare.close());
  const router = createRouter({
    groups,
    defaults: { backoff: config.router.backoff, fallbacks: config.router.fallbacks, cooldown: config.router.cooldown },
    ...(healthShare ? { healthShare } : {}),
  });
  const metrics = createMetrics({ callLog: () => callLog.stats(), rollups: () => rollupMerger.stats() });
  const renderMetrics = options.worker ? clusterWorkerMetrics(metrics.registry) : () => metrics.render();
  steps.add("the runtime metrics", () => metrics.stop());
  const governanceRepository = createGovernanceRepository(database.db);
  const directory = createKeyDirectory({
    repository: governanceRepository,
    ...(options.masterKey ? { masterKey: options.masterKey } : {}),
    onRefreshError: (error) => logger.warn({ err: error }, "reading key changes failed; will retry"),
  });
  await directory.start();
  steps.add("the key directory", () => directory.close());
  const governance = createGovernance({
    directory,
    store: stateStore,
    repository: governanceRepository,
    resolveModel: (model) => router.resolve(model)?.name,
    worstCaseCost: createWorstCaseCost(
      config.models.map((group) => ({
        name: group.name,
        aliases: group.aliases,
        fallbacks: group.fallbacks,
        contextWindowFallbacks: group.contextWindowFallbacks ?? [],
        contentPolicyFallbacks: group.contentPolicyFallbacks ?? [],
        rateLimitFallbacks: group.rateLimitFallbacks ?? [],
        ...((group.quality ?? group.cascade) ? { tiers: (group.quality ?? group.cascade)!.tiers, cascade: group.cascade !== undefined } : {}),
        deployments: group.deployments.map((d) => {
          const price = priceFor(d);
          const maxOutputTokens = d.maxOutputTokens ?? price?.maxOutputTokens;
          return { inputPico: price?.inputPico ?? 0n, outputPico: price?.outputPico ?? 0n, ...(maxOutputTokens ? { maxOutputTokens } : {}) };
        }),
      })),
      config.router.fallbacks,
    ),
    onError: (error) => logger.error({ err: error }, "settling a call's budget, tokens or slots failed"),
  });
  const traceExport = !options.tracing && options.telemetry ? await startTraceExport(options.telemetry) : undefined;
  const tracing = options.tracing ?? traceExport?.tracing;
  if (traceExport) logger.info({ traces: options.telemetry!.tracesUrl }, "traces: a span per call and per attempt, sent over OTLP/HTTP");
  if (traceExport) steps.add("the trace exporter", () => traceExport.close());
  const completions = createCompletionService({
    governance,
    ...(tracing ? { tracing } : {}),
    router,
    callSink: {
      record(call) {
        metrics.observeCall(call);
        callLog.record(call);
      },
    },
    price: (deploymentId, usage) => {
      const price = deploymentPrices.get(deploymentId);
      return price ? computeCostPico(usage, price) : 0n;
    },
  });

  const modelInfo: ModelGroupInfo[] = config.models.map((group) => ({
    name: group.name,
    aliases: group.aliases,
    strategy: group.strategy,
    fallbacks: group.fallbacks,
    ...tierInfo(policies.get(group.name)),
    deployments: group.deployments.map((d) => {
      const price = priceFor(d);
      return {
        id: d.id,
        provider: d.provider,
        model: d.model,
        weight: d.weight,
        ...((d.contextWindow ?? price?.contextWindow) ? { contextWindow: d.contextWindow ?? price?.contextWindow } : {}),
        ...((d.maxOutputTokens ?? price?.maxOutputTokens) ? { maxOutputTokens: d.maxOutputTokens ?? price?.maxOutputTokens } : {}),
        ...(price ? { inputPerMTok: perMTok(price.inputPico), outputPerMTok: perMTok(price.outputPico) } : {}),
        ...(price?.cacheReadPico !== undefined ? { cachedInputPerMTok: perMTok(price.cacheReadPico) } : {}),
        capabilities: {
          tools: d.capabilities?.tools ?? (d.provider === "simulator" || (price?.capabilities.tools ?? true)),
          vision: d.capabilities?.vision ?? price?.capabilities.vision ?? false,
          jsonSchema: d.capabilities?.jsonSchema ?? (d.provider === "simulator" || (price?.capabilities.jsonSchema ?? true)),
          streamingUsage: d.capabilities?.streamingUsage ?? STREAMING_USAGE[d.provider] ?? true,
        },
      };
    }),
  }));

  const adaptThresholds = adaptThresholdsOnFeedback(policies, (model) => router.resolve(model)?.name);
  const liveThresholds = (model: string) => {
    const policy = policies.get(router.resolve(model)?.name ?? "");
    return policy?.kind === "quality" ? (policy.adaptive?.current() ?? policy.thresholds) : undefined;
  };
  // costWhatIf re-prices against the same catalog the calls were priced from.
  const tokenTotals = createTokenTotalsReads(readDb);
  // routingSavings prices the top tier from the same deployment prices the calls were priced from.
  const tieredGroups: TieredGroup[] = config.models.flatMap((group) => {
    const policy = policies.get(group.name);
    if (!policy) return [];
    const top = config.models.find((candidate) => candidate.name === policy.tiers[policy.tiers.length - 1]);
    return [{ name: group.name, names: [group.name, ...group.aliases], policy: policy.kind, tiers: policy.tiers, topTierPrice: topTierPrice((top?.deployments ?? []).map(priceFor)) }];
  });
  const findTieredGroup = (model: string) => tieredGroups.find((group) => group.names.includes(model));
  const routingTotals = createRoutingTotalsReads(readDb);
  const callsOptions = retention ? { horizon: retention.horizon } : {};
  const calls = createCallsRepository(readDb, callsOptions);
  const services: GraphQLServices = {
    completions,
    // A quality group with `adapt` reports the thresholds it routes with now.
    models: () => modelInfo.map((info) => {
      const policy = policies.get(info.name);
      return policy?.kind === "quality" && policy.adaptive ? { ...info, thresholds: [...policy.adaptive.current()] } : info;
    }),
    calls,
    primaryCalls: reads ? createCallsRepository(database.db, callsOptions) : calls,
    feedback: {
      ...createFeedbackService({
        repository: feedbackRepository,
        flushCallLog: () => callLog.flush(),
        onRecorded: (call, score) => {
          if (adaptThresholds(call, score)) logger.info({ model: call.requestedModel, thresholds: liveThresholds(call.requestedModel) }, "feedback moved a quality group's thresholds");
        },
      }),
      byCalls: createFeedbackRepository(readDb).byCalls,
    },
    usage: createUsageRepository(readDb),
    health: createHealthService(router),
    governance: { admin: createKeyAdmin({ repository: governanceRepository, directory, rotationGraceSeconds: config.keys.rotationGraceSeconds }), directory, budgetState: governance.budgetState },
    analytics: {
      keyTeams: createKeyTeamReads(readDb),
      costWhatIf: createCostWhatIf({ reads: tokenTotals, catalog }),
      routingSavings: createRoutingSavings({ reads: routingTotals, findGroup: findTieredGroup }),
      deploymentOutcomes: createDeploymentOutcomesRepository(readDb),
    },
  };
  // Apollo Server checks the schema as it starts: type-graphql's own check would only repeat it.
  const schema = await buildGraphQLSchema({ skipCheck: true });
  const openOnNetwork = directory.openMode && config.server.allowOpenModeOnNetwork;
  /** Whether a caller may use a model group (its name and aliases): the doors that list or count without calling check it. */
  const mayUseModel = (principal: Principal, names: readonly string[]) =>
    principal.kind !== "key" || matchesAnyGlob(directory.key(principal.keyId)?.allowedModels ?? [], names);
  const { safelist: safelistConfig, ...graphqlLimits } = config.server.graphql;
  // The master key is never bound; a key marked safelistOnly always is, even with no safelist configured (it then runs nothing).
  const safelistBinds = (principal: Principal) =>
    principal.kind === "key" && (safelistConfig?.enforceFor === "allKeys" || directory.key(principal.keyId)?.safelistOnly === true);
  // A key bound by the safelist runs only its GraphQL operations: no /v1 door.
  const authenticateRest = async (authorization: string | undefined) => {
    const principal = await directory.authenticate(authorization);
    if (safelistBinds(principal)) throw new GatewayError("FORBIDDEN", "This key may run only safelisted GraphQL operations (server.graphql.safelist): the /v1 doors are closed to it");
    return principal;
  };
  const server = await createServer({
    schema,
    createContext: ({ signal, principal, request }) => {
      // A virtual key's services see only its own rows: the key id is forced into the repositories' filters.
      const scoped: GraphQLServices = {
        ...services,
        completions: completionsForPrincipal(completions, principal, request ? (call) => noteRequestCall(request, call) : undefined),
        ...(principal.kind === "key"
          ? {
              ...scopeCallRepositories(services, principal.keyId),
              primaryCalls: scopeCallRepositories({ calls: services.primaryCalls, usage: services.usage }, principal.keyId).calls,
              analytics: {
                ...services.analytics,
                keyTeams: scopeKeyTeamReads(services.analytics.keyTeams, principal.keyId),
                costWhatIf: createCostWhatIf({ reads: scopeTokenTotalsReads(tokenTotals, principal.keyId), catalog }),
                routingSavings: createRoutingSavings({ reads: scopeRoutingTotalsReads(routingTotals, principal.keyId), findGroup: findTieredGroup }),
              },
            }
          : {}),
      };
      if (!reads) return withLazyLoaders({ services: scoped, principal, ...(signal ? { signal } : {}) }, scoped);
      const replicaReads: ReplicaReads = { read: false };
      const onReplica = noteReplicaReads(scoped, replicaReads);
      return withLazyLoaders({ services: onReplica, principal, replicaReads, ...(signal ? { signal } : {}) }, onReplica);
    },
    auth: { authenticate: (authorization) => directory.authenticate(authorization), recheck: (principal) => directory.recheck(principal), keyPrefixOf: (keyId) => directory.key(keyId)?.keyPrefix },
    readiness: async () => {
      const [databaseUp, stateUp] = await Promise.all([database.ping(), redisStore ? redisStore.ping() : true]);
      const auth = directory.openMode ? "OPEN DEV MODE: no SWITCHYARD_MASTER_KEY, anyone who can reach this port is admin" : "master key";
      return {
        ready: databaseUp && stateUp,
        checks: {
          database: databaseUp ? "up" : "down",
          databaseKind: database.kind,
          migrations: "applied",
          stateStore: stateUp ? "up" : "down",
          stateStoreKind: redisStore ? "redis" : options.stateStore ? "custom" : "memory",
          ...(healthShare ? { health: healthShare.sharing() ? "shared" : "local (Redis unavailable)" } : {}),
          ...(reads ? { readReplica: (await reads.database.ping()) ? "up" : "down" } : {}),
          callLog: callLog.stats(),
          auth,
          openDevMode: directory.openMode,
        },
      };
    },
    metrics: renderMetrics,
    extraRoutes: chainRoutes(
      createResponsesRoutes({
        completions,
        store: createStoredResponsesRepository(database.db),
        maxBodyBytes: config.server.maxBodyBytes,
        authenticate: authenticateRest,
        onStoreError: (error, responseId) => logger.error({ err: error, responseId }, "storing a response failed: previous_response_id will not find it"),
      }),
      createAnthropicRoutes({
        completions,
        maxBodyBytes: config.server.maxBodyBytes,
        authenticate: authenticateRest,
        modelNames: (model) => {
          const group = modelInfo.find((info) => info.name === model || info.aliases.includes(model));
          return group ? [group.name, ...group.aliases] : null;
        },
        mayUseModel,
      }),
      createOpenAIRoutes({
      completions,
      // A quality group with `adapt` reports the thresholds it routes with now.
    models: () => modelInfo.map((info) => {
      const policy = policies.get(info.name);
      return policy?.kind === "quality" && policy.adaptive ? { ...info, thresholds: [...policy.adaptive.current()] } : info;
    }),
      maxBodyBytes: config.server.maxBodyBytes,
      authenticate: authenticateRest,
      mayUseModel,
      }),
    ),
    playground: createPlayground(),
    maxBodyBytes: config.server.maxBodyBytes,
    graphqlLimits,
    safelist: {
      ...(safelist ? { operations: safelist } : {}),
      appliesTo: safelistBinds,
    },
    connectionLimits: config.server,
    drainGraceMs: config.server.shutdownGraceMs,
    originPolicy: createOriginPolicy({ allowedOrigins: config.server.allowedOrigins, openMode: directory.openMode, sameOrigin: !openOnNetwork }),
    // Open dev mode kept to this machine also refuses other names for it (DNS rebinding); on the network the risk was accepted.
    ...(directory.openMode && !openOnNetwork ? { hostAllowed: isLoopbackHostHeader } : {}),
    logger,
    bound,
    // A response that read the replica says how far behind the primary it is.
    ...(reads ? { responseExtensions: (context) => (context.replicaReads?.read ? reads.lag().then((lag) => ({ replicaLagSeconds: lag })) : undefined) } : {}),
  });
  steps.add("the server", () => server.close());
  const url = await server.listen(options.port ?? config.server.port, host);

  let closing: Promise<void> | undefined;
  return {
    url,
    listening: server.boundAddress(),
    database,
    callLog,
    rollupMerger,
    ...(simulator ? { simulator } : {}),
    server,
    close: () =>
      (closing ??= (async () => {
        // Every step runs even when one before it failed; each failure is reported, named.
        const failures = await steps.run();
        if (failures.length > 0) throw new CloseError(failures);
      })()),
  };
}

/** Whether a provider reports usage at the end of a stream (OpenAI-compatible servers mostly do, with stream_options). */
const STREAMING_USAGE: Record<string, boolean> = { openai: true, azure: true, anthropic: true, gemini: true, bedrock: true, ollama: true, simulator: true };

function tierInfo(policy: TierPolicy | undefined): Pick<ModelGroupInfo, "routingPolicy" | "tiers" | "thresholds" | "configuredThresholds"> {
  if (!policy) return {};
  return { routingPolicy: policy.kind, tiers: policy.tiers, ...(policy.kind === "quality" ? { thresholds: policy.thresholds, configuredThresholds: policy.thresholds } : {}) };
}

function perMTok(pico: bigint): number {
  return picoToUsdNumber(pico * 1_000_000n);
}
