import type { IncomingMessage, ServerResponse } from "node:http";
import { computeCostPico, createPriceCatalog } from "../accounting/index.js";
import { GatewayError } from "../core/index.js";
import { createDatabase, createStoredResponsesRepository } from "../db/index.js";
import { createGovernanceRepository } from "../db/governance-repository.js";
import { createCompletionService } from "../gateway/create-completion-service.js";
import { completionsForPrincipal, createGovernance, createKeyDirectory, createWorstCaseCost, matchesAnyGlob } from "../governance/index.js";
import { buildGraphQLSchema } from "../graphql/build-graphql-schema.js";
import type { Principal } from "../governance/principal.js";
import { withLazyLoaders } from "../graphql/loaders.js";
import type { GraphQLServices } from "../graphql/services.js";
import { createRouter } from "../routing/index.js";
import type { TierPolicy } from "../routing/quality/tier-policy.js";
import { createServer } from "../server/create-server.js";
import { createAnthropicRoutes } from "../server/anthropic-messages/create-anthropic-routes.js";
import { chainRoutes } from "../server/chain-routes.js";
import { createOpenAIRoutes } from "../server/openai-compat/create-openai-routes.js";
import { createResponsesRoutes } from "../server/responses/create-responses-routes.js";
import { createOriginPolicy, isLoopbackHostHeader } from "../server/origin-policy.js";
import { createPlayground } from "../server/playground.js";
import { startTraceExport } from "../telemetry/index.js";
import { createMemoryStateStore, createRedisHealthShare, createRedisStateStore } from "../state/index.js";
import { redactUrl } from "../state/create-redis-state-store.js";
import { bindHttpServer } from "../server/bind-http-server.js";
import { noteRequestCall } from "../server/request-log.js";
import { buildModelGroups } from "./build-model-groups.js";
import { checkReadiness } from "./check-readiness.js";
import { buildModelInfo } from "./build-model-info.js";
import { buildGraphQLServices } from "./build-graphql-services.js";
import { openCallLog } from "./open-call-log.js";
import { openProviderAdapters } from "./open-provider-adapters.js";
import { priceDeployments } from "./price-deployments.js";
import { pricedGroups } from "./priced-groups.js";
import { databaseOptions } from "./database-options.js";
import { CloseError, type CloseSteps } from "./close-steps.js";
import { createMetrics } from "./create-metrics.js";
import type { Safelist } from "../server/safelist.js";
import { openReadReplica } from "./open-read-replica.js";
import { noteReplicaReads, type ReplicaReads } from "../graphql/note-replica-reads.js";
import { clusterWorkerMetrics } from "./cluster-metrics.js";
import { spillDirOf, WORKER_HEADER } from "./worker-slots.js";
import { DEFAULT_STATE_DIR, type StartOptions } from "./start-options.js";
import type { Switchyard } from "./switchyard.js";

/** Opens, in order, what a gateway is made of (each added to `steps`, which close it again) and starts serving. */
export async function openSwitchyard(options: StartOptions, host: string, policies: Map<string, TierPolicy>, safelist: Safelist | undefined, steps: CloseSteps): Promise<Switchyard> {
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
  // Partitions for today and the days ahead exist before the first call is written.
  const { callLog, rollupMerger, retention } = await openCallLog(config, database, spillDirOf(stateDir, options.worker?.slot), logger, steps);

  const catalog = createPriceCatalog();
  const { priceFor, priceById } = priceDeployments(config, catalog, logger);
  const { adapterFor, simulator } = await openProviderAdapters(config, steps);

  const groups = buildModelGroups(config, adapterFor, priceFor, policies);

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
    worstCaseCost: createWorstCaseCost(pricedGroups(groups, priceById), config.router.fallbacks),
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
      const price = priceById(deploymentId);
      return price ? computeCostPico(usage, price) : 0n;
    },
  });

  const models = buildModelInfo(config, priceFor, policies);
  const { scopedTo } = buildGraphQLServices({
    config,
    logger,
    completions,
    models,
    router,
    policies,
    priceFor,
    catalog,
    database,
    readDatabase: reads?.database ?? database,
    ...(retention ? { retentionHorizon: () => retention.horizon() } : {}),
    callLog,
    governance,
    governanceRepository,
    directory,
  });
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
        ...scopedTo(principal),
        completions: completionsForPrincipal(completions, principal, request ? (call) => noteRequestCall(request, call) : undefined),
      };
      if (!reads) return withLazyLoaders({ services: scoped, principal, ...(signal ? { signal } : {}) }, scoped);
      const replicaReads: ReplicaReads = { read: false };
      const onReplica = noteReplicaReads(scoped, replicaReads);
      return withLazyLoaders({ services: onReplica, principal, replicaReads, ...(signal ? { signal } : {}) }, onReplica);
    },
    auth: { authenticate: (authorization) => directory.authenticate(authorization), recheck: (principal) => directory.recheck(principal), keyPrefixOf: (keyId) => directory.key(keyId)?.keyPrefix },
    readiness: checkReadiness({
      database,
      ...(redisStore ? { redis: redisStore } : {}),
      stateStoreKind: redisStore ? "redis" : options.stateStore ? "custom" : "memory",
      ...(healthShare ? { healthShare } : {}),
      ...(reads ? { readReplica: reads.database } : {}),
      callLog,
      directory,
    }),
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
          const group = models().find((info) => info.name === model || info.aliases.includes(model));
          return group ? [group.name, ...group.aliases] : null;
        },
        mayUseModel,
      }),
      createOpenAIRoutes({ completions, models, maxBodyBytes: config.server.maxBodyBytes, authenticate: authenticateRest, mayUseModel }),
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
