import type { Logger } from "pino";
import type { PriceCatalog } from "../accounting/index.js";
import type { Config } from "../config/index.js";
import { createCallsRepository, createDeploymentOutcomesRepository, createFeedbackRepository, createUsageRepository, type CallLogWriter, type Database } from "../db/index.js";
import { createKeyTeamReads, scopeKeyTeamReads } from "../db/key-team-reads.js";
import { createRoutingTotalsReads, scopeRoutingTotalsReads } from "../db/routing-totals-reads.js";
import { scopeCallRepositories } from "../db/scope-call-repositories.js";
import { createTokenTotalsReads, scopeTokenTotalsReads } from "../db/token-totals-reads.js";
import type { CompletionService } from "../gateway/create-completion-service.js";
import { createCostWhatIf } from "../gateway/create-cost-what-if.js";
import { createFeedbackService } from "../gateway/create-feedback-service.js";
import { createHealthService } from "../gateway/create-health-service.js";
import { createRoutingSavings, topTierPrice, type TieredGroup } from "../gateway/create-routing-savings.js";
import { createKeyAdmin, type Governance, type KeyDirectory } from "../governance/index.js";
import type { GovernanceRepository } from "../governance/governance-types.js";
import type { Principal } from "../governance/principal.js";
import type { GraphQLServices, ModelGroupInfo } from "../graphql/services.js";
import type { Router } from "../routing/index.js";
import type { TierPolicy } from "../routing/quality/tier-policy.js";
import { adaptThresholdsOnFeedback } from "./adapt-thresholds-on-feedback.js";
import type { PriceFor } from "./price-deployments.js";

export interface GraphQLServicesOptions {
  config: Config;
  logger: Logger;
  completions: CompletionService;
  models: () => ModelGroupInfo[];
  router: Router;
  policies: ReadonlyMap<string, TierPolicy>;
  priceFor: PriceFor;
  catalog: PriceCatalog;
  /** The primary: feedback is written there, and the call log's own reads stay there. */
  database: Database;
  /** Where analytics and listings read: the replica when `database.readUrl` is set, else the primary. */
  readDatabase: Database;
  /** Keeps listings inside the retention window. */
  retentionHorizon?: () => Date;
  callLog: CallLogWriter;
  governance: Governance;
  governanceRepository: GovernanceRepository;
  directory: KeyDirectory;
}

export interface GraphQLServicesOf {
  /** The services as the master key sees them. */
  services: GraphQLServices;
  /** The services a caller sees: a virtual key's see only its own rows (the key id is forced into every filter). */
  scopedTo(principal: Principal): GraphQLServices;
}

/** What the resolvers delegate to, built once; scoped per caller in each request's context. */
export function buildGraphQLServices(options: GraphQLServicesOptions): GraphQLServicesOf {
  const { config, logger, router, policies, priceFor, catalog, database, callLog, directory } = options;
  const readDb = options.readDatabase.db;
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
  const callsOptions = options.retentionHorizon ? { horizon: options.retentionHorizon } : {};
  const calls = createCallsRepository(readDb, callsOptions);
  const services: GraphQLServices = {
    completions: options.completions,
    models: options.models,
    calls,
    primaryCalls: options.readDatabase === database ? calls : createCallsRepository(database.db, callsOptions),
    feedback: {
      ...createFeedbackService({
        repository: createFeedbackRepository(database.db),
        flushCallLog: () => callLog.flush(),
        onRecorded: (call, score) => {
          if (adaptThresholds(call, score)) logger.info({ model: call.requestedModel, thresholds: liveThresholds(call.requestedModel) }, "feedback moved a quality group's thresholds");
        },
      }),
      byCalls: createFeedbackRepository(readDb).byCalls,
    },
    usage: createUsageRepository(readDb),
    health: createHealthService(router),
    governance: {
      admin: createKeyAdmin({ repository: options.governanceRepository, directory, rotationGraceSeconds: config.keys.rotationGraceSeconds }),
      directory,
      budgetState: options.governance.budgetState,
    },
    analytics: {
      keyTeams: createKeyTeamReads(readDb),
      costWhatIf: createCostWhatIf({ reads: tokenTotals, catalog }),
      routingSavings: createRoutingSavings({ reads: routingTotals, findGroup: findTieredGroup }),
      deploymentOutcomes: createDeploymentOutcomesRepository(readDb),
    },
  };
  const scopedTo = (principal: Principal): GraphQLServices => {
    if (principal.kind !== "key") return services;
    return {
      ...services,
      ...scopeCallRepositories(services, principal.keyId),
      primaryCalls: scopeCallRepositories({ calls: services.primaryCalls, usage: services.usage }, principal.keyId).calls,
      analytics: {
        ...services.analytics,
        keyTeams: scopeKeyTeamReads(services.analytics.keyTeams, principal.keyId),
        costWhatIf: createCostWhatIf({ reads: scopeTokenTotalsReads(tokenTotals, principal.keyId), catalog }),
        routingSavings: createRoutingSavings({ reads: scopeRoutingTotalsReads(routingTotals, principal.keyId), findGroup: findTieredGroup }),
      },
    };
  };
  return { services, scopedTo };
}
