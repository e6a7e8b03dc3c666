import type { CallRow, AttemptRow, CallsRepository, FeedbackRepository, UsageRepository } from "../db/index.js";
import type { CompletionService } from "../gateway/create-completion-service.js";
import type { FeedbackService } from "../gateway/create-feedback-service.js";
import type { HealthService } from "../gateway/create-health-service.js";
import type { Governance, KeyAdmin, KeyDirectory } from "../governance/index.js";
import type { AnalyticsServices } from "./analytics/analytics-services.js";

export interface DeploymentInfo {
  id: string;
  provider: string;
  model: string;
  weight: number;
  contextWindow?: number;
  maxOutputTokens?: number;
  inputPerMTok?: number;
  outputPerMTok?: number;
  cachedInputPerMTok?: number;
  capabilities: { tools: boolean; vision: boolean; jsonSchema: boolean; streamingUsage: boolean };
}

export interface ModelGroupInfo {
  name: string;
  aliases: string[];
  strategy: string;
  fallbacks: string[];
  deployments: DeploymentInfo[];
  /** A quality or cascade group: its tiers, cheapest first, and a quality group's thresholds. */
  routingPolicy?: "quality" | "cascade";
  tiers?: readonly string[];
  thresholds?: readonly number[];
  /** A quality group's thresholds as configured; `thresholds` differ once feedback moved them (`quality.adapt`). */
  configuredThresholds?: readonly number[];
}

/** What resolvers delegate to; built in main.ts. */
export interface GraphQLServices {
  completions: CompletionService;
  models(): ModelGroupInfo[];
  /** Listings; on the read replica when `database.readUrl` is set. */
  calls: CallsRepository;
  /** The same calls on the primary, for what must find a call the moment it is written (recordFeedback). */
  primaryCalls: CallsRepository;
  usage: UsageRepository;
  /** recordFeedback; reads and writes Call.feedback. */
  feedback: FeedbackService & { byCalls: FeedbackRepository["byCalls"] };
  health: HealthService;
  governance: GovernanceServices;
  analytics: AnalyticsServices;
}

/** Keys, teams and budgets, for the governance resolvers (which check that the caller is admin). */
export interface GovernanceServices {
  admin: KeyAdmin;
  directory: KeyDirectory;
  budgetState: Governance["budgetState"];
}

export type { CallRow, AttemptRow };
