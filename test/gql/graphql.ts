/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type AttemptOutcome =
  | 'CANCELLED'
  | 'ERROR'
  | 'SUCCESS';

export type BudgetInput = {
  limitUsd: number;
  period?: BudgetPeriod;
};

/** When a budget starts again from zero (UTC; weeks start on Monday). */
export type BudgetPeriod =
  | 'DAILY'
  | 'LIFETIME'
  | 'MONTHLY'
  | 'WEEKLY';

export type CallFilter = {
  deployment?: string | null | undefined;
  /** Inclusive. */
  from?: string | null | undefined;
  /** Model group (aliases resolved). */
  model?: string | null | undefined;
  provider?: string | null | undefined;
  status?: CallStatus | null | undefined;
  /** Exclusive. */
  to?: string | null | undefined;
  user?: string | null | undefined;
};

/** What a call asked for. */
export type CallKind =
  | 'COMPLETION'
  | 'EMBEDDING';

export type CallStatus =
  | 'CANCELLED'
  | 'ERROR'
  | 'SUCCESS';

export type CompletionInput = {
  maxTokens?: number | null | undefined;
  messages: Array<MessageInput>;
  /** Free tags kept with the call for analytics. */
  metadata?: unknown;
  /** A model group or an alias. */
  model: string;
  /** Reasoning effort, mapped per provider; absent = the provider's default. */
  reasoningEffort?: ReasoningEffort | null | undefined;
  responseFormat?: ResponseFormatInput | null | undefined;
  routing?: RoutingInput | null | undefined;
  stop?: Array<string> | null | undefined;
  temperature?: number | null | undefined;
  /** auto | none | required | <tool name> */
  toolChoice?: string | null | undefined;
  tools?: Array<ToolInput> | null | undefined;
  topP?: number | null | undefined;
  /** End-user id. */
  user?: string | null | undefined;
};

export type CostWhatIfChanges = {
  /** At most 100. */
  modelMap?: Array<WhatIfModelMapInput> | null | undefined;
  /** At most 100. */
  prices?: Array<WhatIfPriceInput> | null | undefined;
};

export type EmbeddingInput = {
  /** Shorter vectors, where the model can. */
  dimensions?: number | null | undefined;
  /** One text per vector (at most 2048). */
  input: Array<string>;
  /** Free tags kept with the call for analytics. */
  metadata?: unknown;
  /** A model group or an alias whose deployments embed. */
  model: string;
  /** End-user id. */
  user?: string | null | undefined;
};

export type FinishReason =
  | 'CONTENT_FILTER'
  | 'ERROR'
  | 'LENGTH'
  | 'STOP'
  | 'TOOL_CALLS';

export type HealthStatus =
  | 'COOLING_DOWN'
  | 'DEGRADED'
  | 'HEALTHY'
  | 'UNKNOWN';

export type MessageInput = {
  content?: string | null | undefined;
  name?: string | null | undefined;
  /** Content as parts (text and images), instead of `content`. */
  parts?: Array<MessagePartInput> | null | undefined;
  role: Role;
  /** For TOOL messages: the call this answers. */
  toolCallId?: string | null | undefined;
  toolCalls?: Array<ToolCallInput> | null | undefined;
};

/** One part of a message's content: text, or an image (give exactly one of the two). */
export type MessagePartInput = {
  /** OpenAI's image detail: auto, low or high; other providers ignore it. */
  detail?: string | null | undefined;
  /** An http(s) URL, or a data: URL carrying the image as base64 (data:image/png;base64,…). */
  imageUrl?: string | null | undefined;
  text?: string | null | undefined;
};

export type PrincipalKind =
  | 'ADMIN'
  | 'VIRTUAL_KEY';

/** How much a reasoning model should think: OpenAI reasoning_effort, an Anthropic thinking budget, a Gemini thinkingBudget. */
export type ReasoningEffort =
  | 'HIGH'
  | 'LOW'
  | 'MEDIUM'
  | 'MINIMAL';

export type ResponseFormatInput = {
  name?: string | null | undefined;
  schema?: unknown;
  strict?: boolean | null | undefined;
  type: ResponseFormatType;
};

export type ResponseFormatType =
  | 'JSON_OBJECT'
  | 'JSON_SCHEMA'
  | 'TEXT';

export type Role =
  | 'ASSISTANT'
  | 'SYSTEM'
  | 'TOOL'
  | 'USER';

/** Per-request routing overrides. */
export type RoutingInput = {
  /** Model groups to fall back to, in order, instead of the group's own. */
  fallbacks?: Array<string> | null | undefined;
  /** Skip deployments whose expected cost is above this (USD). */
  maxCostUsd?: number | null | undefined;
  /** weighted | round-robin | least-busy | latency | usage | cost */
  strategy?: string | null | undefined;
  /** Free tags kept with the call. */
  tags?: Array<string> | null | undefined;
  /** A quality group's threshold for this request, one per boundary between tiers (a single number for two tiers). */
  threshold?: Array<number> | null | undefined;
  /** Overall deadline of this call in milliseconds. */
  timeoutMs?: number | null | undefined;
};

/** How a group over other groups chose the tier: classifier (quality) or cascade. */
export type RoutingPolicy =
  | 'CASCADE'
  | 'QUALITY';

export type RoutingSavingsFilter = {
  /** Inclusive; absent = all time. */
  from?: string | null | undefined;
  /** A quality or cascade group, by its name or an alias. */
  model: string;
  /** Exclusive. */
  to?: string | null | undefined;
};

export type TeamInput = {
  budget?: BudgetInput | null | undefined;
  maxParallel?: number | null | undefined;
  metadata?: unknown;
  name: string;
  rpm?: number | null | undefined;
  tpm?: number | null | undefined;
};

/** Fields left out stay as they are; null clears a limit, the budget or the metadata. */
export type TeamPatch = {
  budget?: BudgetInput | null | undefined;
  maxParallel?: number | null | undefined;
  metadata?: unknown;
  name?: string | null | undefined;
  rpm?: number | null | undefined;
  tpm?: number | null | undefined;
};

export type TimeBucket =
  | 'DAY'
  | 'HOUR'
  | 'MINUTE'
  | 'MONTH'
  | 'WEEK';

/** A time range [from, to). */
export type TimeWindowInput = {
  /** Inclusive. */
  from: string;
  /** Exclusive. */
  to: string;
};

export type ToolCallInput = {
  /** JSON-encoded arguments. */
  arguments: string;
  id: string;
  name: string;
};

export type ToolInput = {
  description?: string | null | undefined;
  name: string;
  /** A JSON Schema object. */
  parameters?: unknown;
};

/** MODEL is the model group the call was routed in (aliases resolved). */
export type UsageDimension =
  | 'DEPLOYMENT'
  | 'ERROR_CLASS'
  | 'KEY'
  | 'MODEL'
  | 'PROVIDER'
  | 'STATUS'
  | 'TAG'
  | 'TEAM'
  | 'USER';

export type UsageFilter = {
  deployment?: string | null | undefined;
  /** Inclusive; absent = all time. */
  from?: string | null | undefined;
  /** Virtual key id (a virtual key always sees only itself). */
  key?: string | null | undefined;
  /** Model group. */
  model?: string | null | undefined;
  provider?: string | null | undefined;
  /** Calls asked for this group by any of its names (its aliases too): with groupBy MODEL, a quality or cascade group's usage by tier. Answered from raw calls, not rollups. */
  requestedModel?: string | null | undefined;
  status?: CallStatus | null | undefined;
  /** A tag in the call's metadata.tags (answered from raw calls, not rollups). */
  tag?: string | null | undefined;
  /** Team id. */
  team?: string | null | undefined;
  /** Exclusive. */
  to?: string | null | undefined;
  user?: string | null | undefined;
};

export type VirtualKeyInput = {
  /** Globs over model groups and aliases ("fast", "gpt-4o*"); absent = every model. */
  allowedModels?: Array<string> | null | undefined;
  budget?: BudgetInput | null | undefined;
  /** Applies to each end user (`user` of a request) separately. */
  endUserBudget?: BudgetInput | null | undefined;
  expiresAt?: string | null | undefined;
  /** Calls in flight at once. */
  maxParallel?: number | null | undefined;
  metadata?: unknown;
  name?: string | null | undefined;
  /** Requests per minute. */
  rpm?: number | null | undefined;
  /** May run only the GraphQL operations of the safelist (config server.graphql.safelist) and no /v1 door: for keys that live in browsers. Absent on create = false. */
  safelistOnly?: boolean | null | undefined;
  tags?: Array<string> | null | undefined;
  teamId?: string | number | null | undefined;
  /** Tokens (prompt + completion) per minute. */
  tpm?: number | null | undefined;
};

/** Fields left out stay as they are; null clears a field. */
export type VirtualKeyPatch = {
  /** Globs over model groups and aliases ("fast", "gpt-4o*"); absent = every model. */
  allowedModels?: Array<string> | null | undefined;
  budget?: BudgetInput | null | undefined;
  /** Applies to each end user (`user` of a request) separately. */
  endUserBudget?: BudgetInput | null | undefined;
  expiresAt?: string | null | undefined;
  /** Calls in flight at once. */
  maxParallel?: number | null | undefined;
  metadata?: unknown;
  name?: string | null | undefined;
  /** Requests per minute. */
  rpm?: number | null | undefined;
  /** May run only the GraphQL operations of the safelist (config server.graphql.safelist) and no /v1 door: for keys that live in browsers. Absent on create = false. */
  safelistOnly?: boolean | null | undefined;
  tags?: Array<string> | null | undefined;
  teamId?: string | number | null | undefined;
  /** Tokens (prompt + completion) per minute. */
  tpm?: number | null | undefined;
};

export type WhatIfModelMapInput = {
  /** Calls served by this provider model… */
  from: string;
  /** …are priced as this one (from prices, else the catalog). */
  to: string;
};

export type WhatIfPriceInput = {
  /** Absent: cached input tokens cost the input rate. */
  cachedInputPerMTok?: number | null | undefined;
  inputPerMTok: number;
  /** A provider model as recorded (e.g. gpt-4o-mini), or a modelMap target. */
  model: string;
  outputPerMTok: number;
};

export type CallKeysNestedQueryVariables = Exact<{
  first?: number | null | undefined;
}>;


export type CallKeysNestedQuery = { calls: { edges: Array<{ node: { id: string, keyId: string | null, key: { id: string, name: string | null, keyPrefix: string, team: { id: string, name: string, keys: Array<{ id: string }> } | null } | null, attempts: Array<{ index: number, deployment: string }> } }> } };

export type ModelGroupsWithHealthAndUsageQueryVariables = Exact<{
  window?: TimeWindowInput | null | undefined;
}>;


export type ModelGroupsWithHealthAndUsageQuery = { models: Array<{ name: string, health: Array<{ deployment: string, model: string, status: HealthStatus }>, deployments: Array<{ id: string, usage: { requests: number, errors: number, promptTokens: number, completionTokens: number, costUsd: number, costUsdExact: string, latencyP50Ms: number | null } }> }> };

export type CostWhatIfQueryVariables = Exact<{
  window: TimeWindowInput;
  changes: CostWhatIfChanges;
}>;


export type CostWhatIfQuery = { costWhatIf: { from: string, to: string, byModel: Array<{ model: string | null, provider: string | null, pricedAs: string | null, requests: number, promptTokens: number, cachedTokens: number, completionTokens: number, actualCostUsd: number, actualCostUsdExact: string, whatIfCostUsd: number, whatIfCostUsdExact: string, differenceUsd: number, differenceUsdExact: string }>, totals: { requests: number, actualCostUsdExact: string, whatIfCostUsd: number, whatIfCostUsdExact: string, differenceUsdExact: string } } };

export type CallQueryVariables = Exact<{
  id: string | number;
}>;


export type CallQuery = { call: { id: string, status: CallStatus, deployment: string | null, streamed: boolean, costUsd: number, costUsdExact: string, unpriced: boolean, kind: CallKind, promptTokens: number, completionTokens: number, cachedTokens: number, cacheWriteTokens: number, errorKind: string | null, attemptCount: number, attempts: Array<{ index: number, deployment: string, outcome: AttemptOutcome, errorClass: string | null, costUsd: number }> } | null };

export type CallsQueryVariables = Exact<{
  filter?: CallFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type CallsQuery = { calls: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, createdAt: string, requestedModel: string, modelGroup: string | null, provider: string | null, deployment: string | null, providerModel: string | null, status: CallStatus, errorKind: string | null, streamed: boolean, promptTokens: number, completionTokens: number, cachedTokens: number, costUsd: number, costUsdExact: string, latencyMs: number, ttftMs: number | null, attemptCount: number, user: string | null, metadata: unknown, attempts: Array<{ index: number, deployment: string, outcome: AttemptOutcome, errorClass: string | null }> } }> } };

export type CompleteMutationVariables = Exact<{
  input: CompletionInput;
}>;


export type CompleteMutation = { complete: { id: string, model: string, modelGroup: string, provider: string, deployment: string, finishReason: FinishReason, rawFinishReason: string | null, costUsd: number, latencyMs: number, message: { role: string, content: string | null, reasoning: string | null, toolCalls: Array<{ id: string, name: string, arguments: string }> }, usage: { promptTokens: number, completionTokens: number, totalTokens: number, cachedTokens: number }, attempts: Array<{ index: number, deployment: string, outcome: AttemptOutcome, errorClass: string | null, latencyMs: number, costUsd: number }> } };

export type CompletionStreamSubscriptionVariables = Exact<{
  input: CompletionInput;
}>;


export type CompletionStreamSubscription = { completionStream: { callId: string, index: number, delta: string | null, deployment: string | null, model: string | null, finishReason: FinishReason | null, costUsd: number | null, done: boolean, toolCallDeltas: Array<{ index: number, id: string | null, name: string | null, argumentsDelta: string }> | null, usage: { promptTokens: number, completionTokens: number, totalTokens: number, cachedTokens: number } | null } };

export type DeploymentHealthChangedSubscriptionVariables = Exact<{
  model?: string | null | undefined;
}>;


export type DeploymentHealthChangedSubscription = { deploymentHealthChanged: { deployment: string, model: string, status: HealthStatus, cooldownUntil: string | null, lastError: string | null } };

export type EmbedMutationVariables = Exact<{
  input: EmbeddingInput;
}>;


export type EmbedMutation = { embed: { callId: string, modelGroup: string, deployment: string, provider: string, model: string, vectors: Array<Array<number>>, promptTokens: number, costUsd: number, costUsdExact: string } };

export type BudgetFieldsFragment = { limitUsd: number, limitUsdExact: string, period: BudgetPeriod, spentUsd: number, spentUsdExact: string, reservedUsd: number, remainingUsd: number, periodStart: string, periodEnd: string | null };

export type VirtualKeyFieldsFragment = { id: string, name: string | null, keyPrefix: string, teamId: string | null, allowedModels: Array<string>, rpm: number | null, tpm: number | null, maxParallel: number | null, expiresAt: string | null, revokedAt: string | null, active: boolean, tags: Array<string>, metadata: unknown, budget: { limitUsd: number, limitUsdExact: string, period: BudgetPeriod, spentUsd: number, spentUsdExact: string, reservedUsd: number, remainingUsd: number, periodStart: string, periodEnd: string | null } | null, endUserBudget: { limitUsd: number, period: BudgetPeriod } | null };

export type CreateVirtualKeyMutationVariables = Exact<{
  input: VirtualKeyInput;
}>;


export type CreateVirtualKeyMutation = { createVirtualKey: { secret: string, key: { id: string, name: string | null, keyPrefix: string, teamId: string | null, allowedModels: Array<string>, rpm: number | null, tpm: number | null, maxParallel: number | null, expiresAt: string | null, revokedAt: string | null, active: boolean, tags: Array<string>, metadata: unknown, budget: { limitUsd: number, limitUsdExact: string, period: BudgetPeriod, spentUsd: number, spentUsdExact: string, reservedUsd: number, remainingUsd: number, periodStart: string, periodEnd: string | null } | null, endUserBudget: { limitUsd: number, period: BudgetPeriod } | null } } };

export type UpdateVirtualKeyMutationVariables = Exact<{
  id: string | number;
  input: VirtualKeyPatch;
}>;


export type UpdateVirtualKeyMutation = { updateVirtualKey: { id: string, name: string | null, keyPrefix: string, teamId: string | null, allowedModels: Array<string>, rpm: number | null, tpm: number | null, maxParallel: number | null, expiresAt: string | null, revokedAt: string | null, active: boolean, tags: Array<string>, metadata: unknown, budget: { limitUsd: number, limitUsdExact: string, period: BudgetPeriod, spentUsd: number, spentUsdExact: string, reservedUsd: number, remainingUsd: number, periodStart: string, periodEnd: string | null } | null, endUserBudget: { limitUsd: number, period: BudgetPeriod } | null } };

export type RevokeVirtualKeyMutationVariables = Exact<{
  id: string | number;
}>;


export type RevokeVirtualKeyMutation = { revokeVirtualKey: { id: string, active: boolean, revokedAt: string | null } };

export type CreateTeamMutationVariables = Exact<{
  input: TeamInput;
}>;


export type CreateTeamMutation = { createTeam: { id: string, name: string, rpm: number | null, tpm: number | null, maxParallel: number | null, budget: { limitUsd: number, limitUsdExact: string, period: BudgetPeriod, spentUsd: number, spentUsdExact: string, reservedUsd: number, remainingUsd: number, periodStart: string, periodEnd: string | null } | null } };

export type VirtualKeysQueryVariables = Exact<{ [key: string]: never; }>;


export type VirtualKeysQuery = { virtualKeys: Array<{ id: string, name: string | null, keyPrefix: string, teamId: string | null, allowedModels: Array<string>, rpm: number | null, tpm: number | null, maxParallel: number | null, expiresAt: string | null, revokedAt: string | null, active: boolean, tags: Array<string>, metadata: unknown, budget: { limitUsd: number, limitUsdExact: string, period: BudgetPeriod, spentUsd: number, spentUsdExact: string, reservedUsd: number, remainingUsd: number, periodStart: string, periodEnd: string | null } | null, endUserBudget: { limitUsd: number, period: BudgetPeriod } | null }> };

export type TeamsQueryVariables = Exact<{ [key: string]: never; }>;


export type TeamsQuery = { teams: Array<{ id: string, name: string, budget: { limitUsd: number, limitUsdExact: string, period: BudgetPeriod, spentUsd: number, spentUsdExact: string, reservedUsd: number, remainingUsd: number, periodStart: string, periodEnd: string | null } | null }> };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { kind: PrincipalKind, openMode: boolean, key: { id: string, name: string | null, keyPrefix: string, teamId: string | null, allowedModels: Array<string>, rpm: number | null, tpm: number | null, maxParallel: number | null, expiresAt: string | null, revokedAt: string | null, active: boolean, tags: Array<string>, metadata: unknown, budget: { limitUsd: number, limitUsdExact: string, period: BudgetPeriod, spentUsd: number, spentUsdExact: string, reservedUsd: number, remainingUsd: number, periodStart: string, periodEnd: string | null } | null, endUserBudget: { limitUsd: number, period: BudgetPeriod } | null } | null } };

export type UpdateTeamMutationVariables = Exact<{
  id: string | number;
  input: TeamPatch;
}>;


export type UpdateTeamMutation = { updateTeam: { id: string, name: string, rpm: number | null, tpm: number | null, maxParallel: number | null, metadata: unknown, budget: { limitUsd: number, period: BudgetPeriod } | null } };

export type DeleteTeamMutationVariables = Exact<{
  id: string | number;
  revokeKeys?: boolean | null | undefined;
}>;


export type DeleteTeamMutation = { deleteTeam: { id: string, name: string, revokedKeys: number, detachedKeys: number } };

export type RotateVirtualKeyMutationVariables = Exact<{
  id: string | number;
  graceSeconds?: number | null | undefined;
}>;


export type RotateVirtualKeyMutation = { rotateVirtualKey: { secret: string, previousSecretValidUntil: string, key: { id: string, keyPrefix: string, active: boolean } } };

export type ModelHealthQueryVariables = Exact<{
  model?: string | null | undefined;
}>;


export type ModelHealthQuery = { modelHealth: Array<{ deployment: string, model: string, provider: string, status: HealthStatus, errorRate: number, attempts: number, latencyP50Ms: number | null, cooldownUntil: string | null, lastError: string | null, inFlight: number, rpmUsed: number | null }> };

export type ModelHealthRecentQueryVariables = Exact<{
  model?: string | null | undefined;
  windowMinutes?: number;
}>;


export type ModelHealthRecentQuery = { modelHealth: Array<{ deployment: string, status: HealthStatus, attempts: number, recent: { windowMinutes: number, since: string, attempts: number, succeeded: number, failed: number, errorRate: number, cancelled: number, hedged: number, latencyP50Ms: number | null, latencyP95Ms: number | null, errorKinds: Array<{ kind: string, count: number }> } }> };

export type ModelsQueryVariables = Exact<{ [key: string]: never; }>;


export type ModelsQuery = { models: Array<{ name: string, aliases: Array<string>, strategy: string, fallbacks: Array<string>, deployments: Array<{ id: string, provider: string, model: string, weight: number, contextWindow: number | null, inputPerMTok: number | null, outputPerMTok: number | null, cachedInputPerMTok: number | null, maxOutputTokens: number | null, capabilities: { tools: boolean, vision: boolean, jsonSchema: boolean, streamingUsage: boolean } }> }> };

export type CompleteRoutedMutationVariables = Exact<{
  input: CompletionInput;
}>;


export type CompleteRoutedMutation = { complete: { id: string, modelGroup: string, deployment: string, costUsd: number, message: { content: string | null }, routing: { policy: RoutingPolicy, score: number | null, threshold: number | null, tier: string, reason: string, escalatedFrom: string | null } | null } };

export type RoutedCallQueryVariables = Exact<{
  id: string | number;
}>;


export type RoutedCallQuery = { call: { id: string, status: CallStatus, streamed: boolean, modelGroup: string | null, deployment: string | null, costUsd: number, costUsdExact: string, latencyMs: number, ttftMs: number | null, requestedModel: string, routing: { policy: RoutingPolicy, score: number | null, threshold: number | null, tier: string, reason: string, escalatedFrom: string | null } | null } | null };

export type RoutedStreamSubscriptionVariables = Exact<{
  input: CompletionInput;
}>;


export type RoutedStreamSubscription = { completionStream: { callId: string, index: number, delta: string | null, done: boolean, routing: { policy: RoutingPolicy, tier: string, reason: string, escalatedFrom: string | null } | null } };

export type TieredModelsQueryVariables = Exact<{ [key: string]: never; }>;


export type TieredModelsQuery = { models: Array<{ name: string, routingPolicy: RoutingPolicy | null, tiers: Array<string> | null, thresholds: Array<number> | null }> };

export type RecordFeedbackMutationVariables = Exact<{
  callId: string | number;
  score: number;
  comment?: string | null | undefined;
}>;


export type RecordFeedbackMutation = { recordFeedback: { id: string, status: CallStatus, feedback: Array<{ score: number, comment: string | null, keyId: string | null, recordedAt: string }> } };

export type CallFeedbackQueryVariables = Exact<{
  id: string | number;
}>;


export type CallFeedbackQuery = { call: { id: string, feedback: Array<{ score: number, comment: string | null, keyId: string | null }> } | null };

export type RoutingSavingsQueryVariables = Exact<{
  filter: RoutingSavingsFilter;
  bucket?: TimeBucket | null | undefined;
}>;


export type RoutingSavingsQuery = { routingSavings: { model: string, policy: RoutingPolicy, tiers: Array<string>, rows: Array<{ bucketStart: string | null, calls: number, requests: number, strongRequests: number, strongShare: number | null, escalations: number, costUsd: number, costUsdExact: string, topTierCostUsd: number, topTierCostUsdExact: string, savedUsd: number, savedUsdExact: string }>, totals: { bucketStart: string | null, calls: number, requests: number, strongRequests: number, strongShare: number | null, escalations: number, costUsd: number, costUsdExact: string, topTierCostUsd: number, topTierCostUsdExact: string, savedUsd: number, savedUsdExact: string } } };

export type SavingsRowFragment = { bucketStart: string | null, calls: number, requests: number, strongRequests: number, strongShare: number | null, escalations: number, costUsd: number, costUsdExact: string, topTierCostUsd: number, topTierCostUsdExact: string, savedUsd: number, savedUsdExact: string };

export type CallTokensQueryVariables = Exact<{
  id: string | number;
}>;


export type CallTokensQuery = { call: { id: string, modelGroup: string | null, promptTokens: number, completionTokens: number, cachedTokens: number, costUsdExact: string, routing: { tier: string, escalatedFrom: string | null } | null } | null };

export type UsageByTierQueryVariables = Exact<{
  model: string;
}>;


export type UsageByTierQuery = { usage: { totals: { requests: number, costUsdExact: string }, rows: Array<{ key: Array<string>, requests: number, costUsdExact: string }> } };

export type QualityThresholdsQueryVariables = Exact<{ [key: string]: never; }>;


export type QualityThresholdsQuery = { models: Array<{ name: string, thresholds: Array<number> | null, configuredThresholds: Array<number> | null }> };

export type UsageQueryVariables = Exact<{
  filter?: UsageFilter | null | undefined;
  groupBy?: Array<UsageDimension> | UsageDimension | null | undefined;
  bucket?: TimeBucket | null | undefined;
}>;


export type UsageQuery = { usage: { totals: { requests: number, errors: number, promptTokens: number, completionTokens: number, cachedTokens: number | null, cacheWriteTokens: number | null, costUsd: number, costUsdExact: string, latencyP50Ms: number | null, latencyP95Ms: number | null, latencyP99Ms: number | null }, rows: Array<{ key: Array<string>, bucketStart: string | null, requests: number, errors: number, cachedTokens: number | null, cacheWriteTokens: number | null, costUsd: number, costUsdExact: string }> } };

export const BudgetFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"BudgetFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Budget"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"limitUsd"}},{"kind":"Field","name":{"kind":"Name","value":"limitUsdExact"}},{"kind":"Field","name":{"kind":"Name","value":"period"}},{"kind":"Field","name":{"kind":"Name","value":"spentUsd"}},{"kind":"Field","name":{"kind":"Name","value":"spentUsdExact"}},{"kind":"Field","name":{"kind":"Name","value":"reservedUsd"}},{"kind":"Field","name":{"kind":"Name","value":"remainingUsd"}},{"kind":"Field","name":{"kind":"Name","value":"periodStart"}},{"kind":"Field","name":{"kind":"Name","value":"periodEnd"}}]}}]} as unknown as DocumentNode<BudgetFieldsFragment, unknown>;
export const VirtualKeyFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"VirtualKeyFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"VirtualKey"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"keyPrefix"}},{"kind":"Field","name":{"kind":"Name","value":"teamId"}},{"kind":"Field","name":{"kind":"Name","value":"allowedModels"}},{"kind":"Field","name":{"kind":"Name","value":"budget"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"BudgetFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"endUserBudget"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"limitUsd"}},{"kind":"Field","name":{"kind":"Name","value":"period"}}]}},{"kind":"Field","name":{"kind":"Name","value":"rpm"}},{"kind":"Field","name":{"kind":"Name","value":"tpm"}},{"kind":"Field","name":{"kind":"Name","value":"maxParallel"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"revokedAt"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"tags"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"BudgetFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Budget"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"limitUsd"}},{"kind":"Field","name":{"kind":"Name","value":"limitUsdExact"}},{"kind":"Field","name":{"kind":"Name","value":"period"}},{"kind":"Field","name":{"kind":"Name","value":"spentUsd"}},{"kind":"Field","name":{"kind":"Name","value":"spentUsdExact"}},{"kind":"Field","name":{"kind":"Name","value":"reservedUsd"}},{"kind":"Field","name":{"kind":"Name","value":"remainingUsd"}},{"kind":"Field","name":{"kind":"Name","value":"periodStart"}},{"kind":"Field","name":{"kind":"Name","value":"periodEnd"}}]}}]} as unknown as DocumentNode<VirtualKeyFieldsFragment, unknown>;
export const SavingsRowFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SavingsRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RoutingSavingsRow"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"bucketStart"}},{"kind":"Field","name":{"kind":"Name","value":"calls"}},{"kind":"Field","name":{"kind":"Name","value":"requests"}},{"kind":"Field","name":{"kind":"Name","value":"strongRequests"}},{"kind":"Field","name":{"kind":"Name","value":"strongShare"}},{"kind":"Field","name":{"kind":"Name","value":"escalations"}},{"kind":"Field","name":{"kind":"Name","value":"costUsd"}},{"kind":"Field","name":{"kind":"Name","value":"costUsdExact"}},{"kind":"Field","name":{"kind":"Name","value":"topTierCostUsd"}},{"kind":"Field","name":{"kind":"Name","value":"topTierCostUsdExact"}},{"kind":"Field","name":{"kind":"Name","value":"savedUsd"}},{"kind":"Field","name":{"kind":"Name","value":"savedUsdExact"}}]}}]} as unknown as DocumentNode<SavingsRowFragment, unknown>;
export const CallKeysNestedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CallKeysNested"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"calls"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"keyId"}},{"kind":"Field","name":{"kind":"Name","value":"key"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"keyPrefix"}},{"kind":"Field","name":{"kind":"Name","value":"team"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"keys"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"attempts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"index"}},{"kind":"Field","name":{"kind":"Name","value":"deployment"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<CallKeysNestedQuery, CallKeysNestedQueryVariables>;
export const ModelGroupsWithHealthAndUsageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ModelGroupsWithHealthAndUsage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"window"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"TimeWindowInput"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"models"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"health"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deployment"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"deployments"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"window"},"value":{"kind":"Variable","name":{"kind":"Name","value":"window"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requests"}},{"kind":"Field","name":{"kind":"Name","value":"errors"}},{"kind":"Field","name":{"kind":"Name","value":"promptTokens"}},{"kind":"Field","name":{"kind":"Name","value":"completionTokens"}},{"kind":"Field","name":{"kind":"Name","value":"costUsd"}},{"kind":"Field","name":{"kind":"Name","value":"costUsdExact"}},{"kind":"Field","name":{"kind":"Name","value":"latencyP50Ms"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ModelGroupsWithHealthAndUsageQuery, ModelGroupsWithHealthAndUsageQueryVariables>;
export const CostWhatIfDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CostWhatIf"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"window"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"TimeWindowInput"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"changes"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CostWhatIfChanges"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"costWhatIf"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"window"},"value":{"kind":"Variable","name":{"kind":"Name","value":"window"}}},{"kind":"Argument","name":{"kind":"Name","value":"changes"},"value":{"kind":"Variable","name":{"kind":"Name","value":"changes"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"from"}},{"kind":"Field","name":{"kind":"Name","value":"to"}},{"kind":"Field","name":{"kind":"Name","value":"byModel"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"pricedAs"}},{"kind":"Field","name":{"kind":"Name","value":"requests"}},{"kind":"Field","name":{"kind":"Name","value":"promptTokens"}},{"kind":"Field","name":{"kind":"Name","value":"cachedTokens"}},{"kind":"Field","name":{"kind":"Name","value":"completionTokens"}},{"kind":"Field","name":{"kind":"Name","value":"actualCostUsd"}},{"kind":"Field","name":{"kind":"Name","value":"actualCostUsdExact"}},{"kind":"Field","name":{"kind":"Name","value":"whatIfCostUsd"}},{"kind":"Field","name":{"kind":"Name","value":"whatIfCostUsdExact"}},{"kind":"Field","name":{"kind":"Name","value":"differenceUsd"}},{"kind":"Field","name":{"kind":"Name","value":"differenceUsdExact"}}]}},{"kind":"Field","name":{"kind":"Name","value":"totals"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requests"}},{"kind":"Field","name":{"kind":"Name","value":"actualCostUsdExact"}},{"kind":"Field","name":{"kind":"Name","value":"whatIfCostUsd"}},{"kind":"Field","name":{"kind":"Name","value":"whatIfCostUsdExact"}},{"kind":"Field","name":{"kind":"Name","value":"differenceUsdExact"}}]}}]}}]}}]} as unknown as DocumentNode<CostWhatIfQuery, CostWhatIfQueryVariables>;
export const CallDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Call"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"call"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"deployment"}},{"kind":"Field","name":{"kind":"Name","value":"streamed"}},{"kind":"Field","name":{"kind":"Name","value":"costUsd"}},{"kind":"Field","name":{"kind":"Name","value":"costUsdExact"}},{"kind":"Field","name":{"kind":"Name","value":"unpriced"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"promptTokens"}},{"kind":"Field","name":{"kind":"Name","value":"completionTokens"}},{"kind":"Field","name":{"kind":"Name","value":"cachedTokens"}},{"kind":"Field","name":{"kind":"Name","value":"cacheWriteTokens"}},{"kind":"Field","name":{"kind":"Name","value":"errorKind"}},{"kind":"Field","name":{"kind":"Name","value":"attemptCount"}},{"kind":"Field","name":{"kind":"Name","value":"attempts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"index"}},{"kind":"Field","name":{"kind":"Name","value":"deployment"}},{"kind":"Field","name":{"kind":"Name","value":"outcome"}},{"kind":"Field","name":{"kind":"Name","value":"errorClass"}},{"kind":"Field","name":{"kind":"Name","value":"costUsd"}}]}}]}}]}}]} as unknown as DocumentNode<CallQuery, CallQueryVariables>;
export const CallsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Calls"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"CallFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"calls"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"requestedModel"}},{"kind":"Field","name":{"kind":"Name","value":"modelGroup"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"deployment"}},{"kind":"Field","name":{"kind":"Name","value":"providerModel"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"errorKind"}},{"kind":"Field","name":{"kind":"Name","value":"streamed"}},{"kind":"Field","name":{"kind":"Name","value":"promptTokens"}},{"kind":"Field","name":{"kind":"Name","value":"completionTokens"}},{"kind":"Field","name":{"kind":"Name","value":"cachedTokens"}},{"kind":"Field","name":{"kind":"Name","value":"costUsd"}},{"kind":"Field","name":{"kind":"Name","value":"costUsdExact"}},{"kind":"Field","name":{"kind":"Name","value":"latencyMs"}},{"kind":"Field","name":{"kind":"Name","value":"ttftMs"}},{"kind":"Field","name":{"kind":"Name","value":"attemptCount"}},{"kind":"Field","name":{"kind":"Name","value":"user"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}},{"kind":"Field","name":{"kind":"Name","value":"attempts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"index"}},{"kind":"Field","name":{"kind":"Name","value":"deployment"}},{"kind":"Field","name":{"kind":"Name","value":"outcome"}},{"kind":"Field","name":{"kind":"Name","value":"errorClass"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<CallsQuery, CallsQueryVariables>;
export const CompleteDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Complete"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CompletionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"complete"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"modelGroup"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"deployment"}},{"kind":"Field","name":{"kind":"Name","value":"finishReason"}},{"kind":"Field","name":{"kind":"Name","value":"rawFinishReason"}},{"kind":"Field","name":{"kind":"Name","value":"costUsd"}},{"kind":"Field","name":{"kind":"Name","value":"latencyMs"}},{"kind":"Field","name":{"kind":"Name","value":"message"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"content"}},{"kind":"Field","name":{"kind":"Name","value":"reasoning"}},{"kind":"Field","name":{"kind":"Name","value":"toolCalls"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"arguments"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"promptTokens"}},{"kind":"Field","name":{"kind":"Name","value":"completionTokens"}},{"kind":"Field","name":{"kind":"Name","value":"totalTokens"}},{"kind":"Field","name":{"kind":"Name","value":"cachedTokens"}}]}},{"kind":"Field","name":{"kind":"Name","value":"attempts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"index"}},{"kind":"Field","name":{"kind":"Name","value":"deployment"}},{"kind":"Field","name":{"kind":"Name","value":"outcome"}},{"kind":"Field","name":{"kind":"Name","value":"errorClass"}},{"kind":"Field","name":{"kind":"Name","value":"latencyMs"}},{"kind":"Field","name":{"kind":"Name","value":"costUsd"}}]}}]}}]}}]} as unknown as DocumentNode<CompleteMutation, CompleteMutationVariables>;
export const CompletionStreamDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"CompletionStream"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CompletionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"completionStream"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"callId"}},{"kind":"Field","name":{"kind":"Name","value":"index"}},{"kind":"Field","name":{"kind":"Name","value":"delta"}},{"kind":"Field","name":{"kind":"Name","value":"toolCallDeltas"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"index"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"argumentsDelta"}}]}},{"kind":"Field","name":{"kind":"Name","value":"deployment"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"finishReason"}},{"kind":"Field","name":{"kind":"Name","value":"costUsd"}},{"kind":"Field","name":{"kind":"Name","value":"done"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"promptTokens"}},{"kind":"Field","name":{"kind":"Name","value":"completionTokens"}},{"kind":"Field","name":{"kind":"Name","value":"totalTokens"}},{"kind":"Field","name":{"kind":"Name","value":"cachedTokens"}}]}}]}}]}}]} as unknown as DocumentNode<CompletionStreamSubscription, CompletionStreamSubscriptionVariables>;
export const DeploymentHealthChangedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"DeploymentHealthChanged"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"model"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deploymentHealthChanged"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"model"},"value":{"kind":"Variable","name":{"kind":"Name","value":"model"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deployment"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"cooldownUntil"}},{"kind":"Field","name":{"kind":"Name","value":"lastError"}}]}}]}}]} as unknown as DocumentNode<DeploymentHealthChangedSubscription, DeploymentHealthChangedSubscriptionVariables>;
export const EmbedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Embed"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"EmbeddingInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"embed"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"callId"}},{"kind":"Field","name":{"kind":"Name","value":"modelGroup"}},{"kind":"Field","name":{"kind":"Name","value":"deployment"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"vectors"}},{"kind":"Field","name":{"kind":"Name","value":"promptTokens"}},{"kind":"Field","name":{"kind":"Name","value":"costUsd"}},{"kind":"Field","name":{"kind":"Name","value":"costUsdExact"}}]}}]}}]} as unknown as DocumentNode<EmbedMutation, EmbedMutationVariables>;
export const CreateVirtualKeyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateVirtualKey"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"VirtualKeyInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createVirtualKey"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"secret"}},{"kind":"Field","name":{"kind":"Name","value":"key"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"VirtualKeyFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"BudgetFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Budget"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"limitUsd"}},{"kind":"Field","name":{"kind":"Name","value":"limitUsdExact"}},{"kind":"Field","name":{"kind":"Name","value":"period"}},{"kind":"Field","name":{"kind":"Name","value":"spentUsd"}},{"kind":"Field","name":{"kind":"Name","value":"spentUsdExact"}},{"kind":"Field","name":{"kind":"Name","value":"reservedUsd"}},{"kind":"Field","name":{"kind":"Name","value":"remainingUsd"}},{"kind":"Field","name":{"kind":"Name","value":"periodStart"}},{"kind":"Field","name":{"kind":"Name","value":"periodEnd"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"VirtualKeyFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"VirtualKey"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"keyPrefix"}},{"kind":"Field","name":{"kind":"Name","value":"teamId"}},{"kind":"Field","name":{"kind":"Name","value":"allowedModels"}},{"kind":"Field","name":{"kind":"Name","value":"budget"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"BudgetFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"endUserBudget"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"limitUsd"}},{"kind":"Field","name":{"kind":"Name","value":"period"}}]}},{"kind":"Field","name":{"kind":"Name","value":"rpm"}},{"kind":"Field","name":{"kind":"Name","value":"tpm"}},{"kind":"Field","name":{"kind":"Name","value":"maxParallel"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"revokedAt"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"tags"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}}]}}]} as unknown as DocumentNode<CreateVirtualKeyMutation, CreateVirtualKeyMutationVariables>;
export const UpdateVirtualKeyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateVirtualKey"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"VirtualKeyPatch"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateVirtualKey"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"VirtualKeyFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"BudgetFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Budget"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"limitUsd"}},{"kind":"Field","name":{"kind":"Name","value":"limitUsdExact"}},{"kind":"Field","name":{"kind":"Name","value":"period"}},{"kind":"Field","name":{"kind":"Name","value":"spentUsd"}},{"kind":"Field","name":{"kind":"Name","value":"spentUsdExact"}},{"kind":"Field","name":{"kind":"Name","value":"reservedUsd"}},{"kind":"Field","name":{"kind":"Name","value":"remainingUsd"}},{"kind":"Field","name":{"kind":"Name","value":"periodStart"}},{"kind":"Field","name":{"kind":"Name","value":"periodEnd"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"VirtualKeyFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"VirtualKey"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"keyPrefix"}},{"kind":"Field","name":{"kind":"Name","value":"teamId"}},{"kind":"Field","name":{"kind":"Name","value":"allowedModels"}},{"kind":"Field","name":{"kind":"Name","value":"budget"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"BudgetFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"endUserBudget"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"limitUsd"}},{"kind":"Field","name":{"kind":"Name","value":"period"}}]}},{"kind":"Field","name":{"kind":"Name","value":"rpm"}},{"kind":"Field","name":{"kind":"Name","value":"tpm"}},{"kind":"Field","name":{"kind":"Name","value":"maxParallel"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"revokedAt"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"tags"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}}]}}]} as unknown as DocumentNode<UpdateVirtualKeyMutation, UpdateVirtualKeyMutationVariables>;
export const RevokeVirtualKeyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RevokeVirtualKey"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"revokeVirtualKey"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"revokedAt"}}]}}]}}]} as unknown as DocumentNode<RevokeVirtualKeyMutation, RevokeVirtualKeyMutationVariables>;
export const CreateTeamDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateTeam"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"TeamInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createTeam"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"rpm"}},{"kind":"Field","name":{"kind":"Name","value":"tpm"}},{"kind":"Field","name":{"kind":"Name","value":"maxParallel"}},{"kind":"Field","name":{"kind":"Name","value":"budget"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"BudgetFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"BudgetFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Budget"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"limitUsd"}},{"kind":"Field","name":{"kind":"Name","value":"limitUsdExact"}},{"kind":"Field","name":{"kind":"Name","value":"period"}},{"kind":"Field","name":{"kind":"Name","value":"spentUsd"}},{"kind":"Field","name":{"kind":"Name","value":"spentUsdExact"}},{"kind":"Field","name":{"kind":"Name","value":"reservedUsd"}},{"kind":"Field","name":{"kind":"Name","value":"remainingUsd"}},{"kind":"Field","name":{"kind":"Name","value":"periodStart"}},{"kind":"Field","name":{"kind":"Name","value":"periodEnd"}}]}}]} as unknown as DocumentNode<CreateTeamMutation, CreateTeamMutationVariables>;
export const VirtualKeysDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"VirtualKeys"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"virtualKeys"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"VirtualKeyFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"BudgetFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Budget"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"limitUsd"}},{"kind":"Field","name":{"kind":"Name","value":"limitUsdExact"}},{"kind":"Field","name":{"kind":"Name","value":"period"}},{"kind":"Field","name":{"kind":"Name","value":"spentUsd"}},{"kind":"Field","name":{"kind":"Name","value":"spentUsdExact"}},{"kind":"Field","name":{"kind":"Name","value":"reservedUsd"}},{"kind":"Field","name":{"kind":"Name","value":"remainingUsd"}},{"kind":"Field","name":{"kind":"Name","value":"periodStart"}},{"kind":"Field","name":{"kind":"Name","value":"periodEnd"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"VirtualKeyFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"VirtualKey"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"keyPrefix"}},{"kind":"Field","name":{"kind":"Name","value":"teamId"}},{"kind":"Field","name":{"kind":"Name","value":"allowedModels"}},{"kind":"Field","name":{"kind":"Name","value":"budget"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"BudgetFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"endUserBudget"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"limitUsd"}},{"kind":"Field","name":{"kind":"Name","value":"period"}}]}},{"kind":"Field","name":{"kind":"Name","value":"rpm"}},{"kind":"Field","name":{"kind":"Name","value":"tpm"}},{"kind":"Field","name":{"kind":"Name","value":"maxParallel"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"revokedAt"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"tags"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}}]}}]} as unknown as DocumentNode<VirtualKeysQuery, VirtualKeysQueryVariables>;
export const TeamsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Teams"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"teams"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"budget"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"BudgetFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"BudgetFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Budget"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"limitUsd"}},{"kind":"Field","name":{"kind":"Name","value":"limitUsdExact"}},{"kind":"Field","name":{"kind":"Name","value":"period"}},{"kind":"Field","name":{"kind":"Name","value":"spentUsd"}},{"kind":"Field","name":{"kind":"Name","value":"spentUsdExact"}},{"kind":"Field","name":{"kind":"Name","value":"reservedUsd"}},{"kind":"Field","name":{"kind":"Name","value":"remainingUsd"}},{"kind":"Field","name":{"kind":"Name","value":"periodStart"}},{"kind":"Field","name":{"kind":"Name","value":"periodEnd"}}]}}]} as unknown as DocumentNode<TeamsQuery, TeamsQueryVariables>;
export const MeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"openMode"}},{"kind":"Field","name":{"kind":"Name","value":"key"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"VirtualKeyFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"BudgetFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Budget"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"limitUsd"}},{"kind":"Field","name":{"kind":"Name","value":"limitUsdExact"}},{"kind":"Field","name":{"kind":"Name","value":"period"}},{"kind":"Field","name":{"kind":"Name","value":"spentUsd"}},{"kind":"Field","name":{"kind":"Name","value":"spentUsdExact"}},{"kind":"Field","name":{"kind":"Name","value":"reservedUsd"}},{"kind":"Field","name":{"kind":"Name","value":"remainingUsd"}},{"kind":"Field","name":{"kind":"Name","value":"periodStart"}},{"kind":"Field","name":{"kind":"Name","value":"periodEnd"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"VirtualKeyFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"VirtualKey"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"keyPrefix"}},{"kind":"Field","name":{"kind":"Name","value":"teamId"}},{"kind":"Field","name":{"kind":"Name","value":"allowedModels"}},{"kind":"Field","name":{"kind":"Name","value":"budget"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"BudgetFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"endUserBudget"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"limitUsd"}},{"kind":"Field","name":{"kind":"Name","value":"period"}}]}},{"kind":"Field","name":{"kind":"Name","value":"rpm"}},{"kind":"Field","name":{"kind":"Name","value":"tpm"}},{"kind":"Field","name":{"kind":"Name","value":"maxParallel"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"revokedAt"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"tags"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}}]}}]} as unknown as DocumentNode<MeQuery, MeQueryVariables>;
export const UpdateTeamDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateTeam"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"TeamPatch"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateTeam"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"rpm"}},{"kind":"Field","name":{"kind":"Name","value":"tpm"}},{"kind":"Field","name":{"kind":"Name","value":"maxParallel"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}},{"kind":"Field","name":{"kind":"Name","value":"budget"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"limitUsd"}},{"kind":"Field","name":{"kind":"Name","value":"period"}}]}}]}}]}}]} as unknown as DocumentNode<UpdateTeamMutation, UpdateTeamMutationVariables>;
export const DeleteTeamDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteTeam"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"revokeKeys"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteTeam"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"revokeKeys"},"value":{"kind":"Variable","name":{"kind":"Name","value":"revokeKeys"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"revokedKeys"}},{"kind":"Field","name":{"kind":"Name","value":"detachedKeys"}}]}}]}}]} as unknown as DocumentNode<DeleteTeamMutation, DeleteTeamMutationVariables>;
export const RotateVirtualKeyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RotateVirtualKey"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"graceSeconds"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rotateVirtualKey"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"graceSeconds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"graceSeconds"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"secret"}},{"kind":"Field","name":{"kind":"Name","value":"previousSecretValidUntil"}},{"kind":"Field","name":{"kind":"Name","value":"key"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"keyPrefix"}},{"kind":"Field","name":{"kind":"Name","value":"active"}}]}}]}}]}}]} as unknown as DocumentNode<RotateVirtualKeyMutation, RotateVirtualKeyMutationVariables>;
export const ModelHealthDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ModelHealth"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"model"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"modelHealth"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"model"},"value":{"kind":"Variable","name":{"kind":"Name","value":"model"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deployment"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"errorRate"}},{"kind":"Field","name":{"kind":"Name","value":"attempts"}},{"kind":"Field","name":{"kind":"Name","value":"latencyP50Ms"}},{"kind":"Field","name":{"kind":"Name","value":"cooldownUntil"}},{"kind":"Field","name":{"kind":"Name","value":"lastError"}},{"kind":"Field","name":{"kind":"Name","value":"inFlight"}},{"kind":"Field","name":{"kind":"Name","value":"rpmUsed"}}]}}]}}]} as unknown as DocumentNode<ModelHealthQuery, ModelHealthQueryVariables>;
export const ModelHealthRecentDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ModelHealthRecent"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"model"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"windowMinutes"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},"defaultValue":{"kind":"IntValue","value":"5"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"modelHealth"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"model"},"value":{"kind":"Variable","name":{"kind":"Name","value":"model"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deployment"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"attempts"}},{"kind":"Field","name":{"kind":"Name","value":"recent"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"windowMinutes"},"value":{"kind":"Variable","name":{"kind":"Name","value":"windowMinutes"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"windowMinutes"}},{"kind":"Field","name":{"kind":"Name","value":"since"}},{"kind":"Field","name":{"kind":"Name","value":"attempts"}},{"kind":"Field","name":{"kind":"Name","value":"succeeded"}},{"kind":"Field","name":{"kind":"Name","value":"failed"}},{"kind":"Field","name":{"kind":"Name","value":"errorRate"}},{"kind":"Field","name":{"kind":"Name","value":"cancelled"}},{"kind":"Field","name":{"kind":"Name","value":"hedged"}},{"kind":"Field","name":{"kind":"Name","value":"errorKinds"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}},{"kind":"Field","name":{"kind":"Name","value":"latencyP50Ms"}},{"kind":"Field","name":{"kind":"Name","value":"latencyP95Ms"}}]}}]}}]}}]} as unknown as DocumentNode<ModelHealthRecentQuery, ModelHealthRecentQueryVariables>;
export const ModelsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Models"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"models"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"aliases"}},{"kind":"Field","name":{"kind":"Name","value":"strategy"}},{"kind":"Field","name":{"kind":"Name","value":"fallbacks"}},{"kind":"Field","name":{"kind":"Name","value":"deployments"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"weight"}},{"kind":"Field","name":{"kind":"Name","value":"contextWindow"}},{"kind":"Field","name":{"kind":"Name","value":"inputPerMTok"}},{"kind":"Field","name":{"kind":"Name","value":"outputPerMTok"}},{"kind":"Field","name":{"kind":"Name","value":"cachedInputPerMTok"}},{"kind":"Field","name":{"kind":"Name","value":"maxOutputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"capabilities"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tools"}},{"kind":"Field","name":{"kind":"Name","value":"vision"}},{"kind":"Field","name":{"kind":"Name","value":"jsonSchema"}},{"kind":"Field","name":{"kind":"Name","value":"streamingUsage"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ModelsQuery, ModelsQueryVariables>;
export const CompleteRoutedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CompleteRouted"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CompletionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"complete"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"modelGroup"}},{"kind":"Field","name":{"kind":"Name","value":"deployment"}},{"kind":"Field","name":{"kind":"Name","value":"costUsd"}},{"kind":"Field","name":{"kind":"Name","value":"message"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"content"}}]}},{"kind":"Field","name":{"kind":"Name","value":"routing"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"policy"}},{"kind":"Field","name":{"kind":"Name","value":"score"}},{"kind":"Field","name":{"kind":"Name","value":"threshold"}},{"kind":"Field","name":{"kind":"Name","value":"tier"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"escalatedFrom"}}]}}]}}]}}]} as unknown as DocumentNode<CompleteRoutedMutation, CompleteRoutedMutationVariables>;
export const RoutedCallDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RoutedCall"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"call"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"streamed"}},{"kind":"Field","name":{"kind":"Name","value":"modelGroup"}},{"kind":"Field","name":{"kind":"Name","value":"deployment"}},{"kind":"Field","name":{"kind":"Name","value":"costUsd"}},{"kind":"Field","name":{"kind":"Name","value":"costUsdExact"}},{"kind":"Field","name":{"kind":"Name","value":"latencyMs"}},{"kind":"Field","name":{"kind":"Name","value":"ttftMs"}},{"kind":"Field","name":{"kind":"Name","value":"requestedModel"}},{"kind":"Field","name":{"kind":"Name","value":"routing"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"policy"}},{"kind":"Field","name":{"kind":"Name","value":"score"}},{"kind":"Field","name":{"kind":"Name","value":"threshold"}},{"kind":"Field","name":{"kind":"Name","value":"tier"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"escalatedFrom"}}]}}]}}]}}]} as unknown as DocumentNode<RoutedCallQuery, RoutedCallQueryVariables>;
export const RoutedStreamDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"RoutedStream"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CompletionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"completionStream"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"callId"}},{"kind":"Field","name":{"kind":"Name","value":"index"}},{"kind":"Field","name":{"kind":"Name","value":"delta"}},{"kind":"Field","name":{"kind":"Name","value":"done"}},{"kind":"Field","name":{"kind":"Name","value":"routing"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"policy"}},{"kind":"Field","name":{"kind":"Name","value":"tier"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"escalatedFrom"}}]}}]}}]}}]} as unknown as DocumentNode<RoutedStreamSubscription, RoutedStreamSubscriptionVariables>;
export const TieredModelsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TieredModels"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"models"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"routingPolicy"}},{"kind":"Field","name":{"kind":"Name","value":"tiers"}},{"kind":"Field","name":{"kind":"Name","value":"thresholds"}}]}}]}}]} as unknown as DocumentNode<TieredModelsQuery, TieredModelsQueryVariables>;
export const RecordFeedbackDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RecordFeedback"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"callId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"score"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Float"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"comment"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"recordFeedback"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"callId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"callId"}}},{"kind":"Argument","name":{"kind":"Name","value":"score"},"value":{"kind":"Variable","name":{"kind":"Name","value":"score"}}},{"kind":"Argument","name":{"kind":"Name","value":"comment"},"value":{"kind":"Variable","name":{"kind":"Name","value":"comment"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"feedback"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"score"}},{"kind":"Field","name":{"kind":"Name","value":"comment"}},{"kind":"Field","name":{"kind":"Name","value":"keyId"}},{"kind":"Field","name":{"kind":"Name","value":"recordedAt"}}]}}]}}]}}]} as unknown as DocumentNode<RecordFeedbackMutation, RecordFeedbackMutationVariables>;
export const CallFeedbackDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CallFeedback"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"call"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"feedback"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"score"}},{"kind":"Field","name":{"kind":"Name","value":"comment"}},{"kind":"Field","name":{"kind":"Name","value":"keyId"}}]}}]}}]}}]} as unknown as DocumentNode<CallFeedbackQuery, CallFeedbackQueryVariables>;
export const RoutingSavingsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RoutingSavings"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RoutingSavingsFilter"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"bucket"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"TimeBucket"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"routingSavings"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"bucket"},"value":{"kind":"Variable","name":{"kind":"Name","value":"bucket"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"policy"}},{"kind":"Field","name":{"kind":"Name","value":"tiers"}},{"kind":"Field","name":{"kind":"Name","value":"rows"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"SavingsRow"}}]}},{"kind":"Field","name":{"kind":"Name","value":"totals"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"SavingsRow"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SavingsRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RoutingSavingsRow"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"bucketStart"}},{"kind":"Field","name":{"kind":"Name","value":"calls"}},{"kind":"Field","name":{"kind":"Name","value":"requests"}},{"kind":"Field","name":{"kind":"Name","value":"strongRequests"}},{"kind":"Field","name":{"kind":"Name","value":"strongShare"}},{"kind":"Field","name":{"kind":"Name","value":"escalations"}},{"kind":"Field","name":{"kind":"Name","value":"costUsd"}},{"kind":"Field","name":{"kind":"Name","value":"costUsdExact"}},{"kind":"Field","name":{"kind":"Name","value":"topTierCostUsd"}},{"kind":"Field","name":{"kind":"Name","value":"topTierCostUsdExact"}},{"kind":"Field","name":{"kind":"Name","value":"savedUsd"}},{"kind":"Field","name":{"kind":"Name","value":"savedUsdExact"}}]}}]} as unknown as DocumentNode<RoutingSavingsQuery, RoutingSavingsQueryVariables>;
export const CallTokensDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CallTokens"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"call"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"modelGroup"}},{"kind":"Field","name":{"kind":"Name","value":"promptTokens"}},{"kind":"Field","name":{"kind":"Name","value":"completionTokens"}},{"kind":"Field","name":{"kind":"Name","value":"cachedTokens"}},{"kind":"Field","name":{"kind":"Name","value":"costUsdExact"}},{"kind":"Field","name":{"kind":"Name","value":"routing"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tier"}},{"kind":"Field","name":{"kind":"Name","value":"escalatedFrom"}}]}}]}}]}}]} as unknown as DocumentNode<CallTokensQuery, CallTokensQueryVariables>;
export const UsageByTierDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"UsageByTier"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"model"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"usage"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"requestedModel"},"value":{"kind":"Variable","name":{"kind":"Name","value":"model"}}}]}},{"kind":"Argument","name":{"kind":"Name","value":"groupBy"},"value":{"kind":"ListValue","values":[{"kind":"EnumValue","value":"MODEL"}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totals"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requests"}},{"kind":"Field","name":{"kind":"Name","value":"costUsdExact"}}]}},{"kind":"Field","name":{"kind":"Name","value":"rows"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"requests"}},{"kind":"Field","name":{"kind":"Name","value":"costUsdExact"}}]}}]}}]}}]} as unknown as DocumentNode<UsageByTierQuery, UsageByTierQueryVariables>;
export const QualityThresholdsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"QualityThresholds"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"models"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"thresholds"}},{"kind":"Field","name":{"kind":"Name","value":"configuredThresholds"}}]}}]}}]} as unknown as DocumentNode<QualityThresholdsQuery, QualityThresholdsQueryVariables>;
export const UsageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Usage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"UsageFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"groupBy"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UsageDimension"}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"bucket"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"TimeBucket"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"usage"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"groupBy"},"value":{"kind":"Variable","name":{"kind":"Name","value":"groupBy"}}},{"kind":"Argument","name":{"kind":"Name","value":"bucket"},"value":{"kind":"Variable","name":{"kind":"Name","value":"bucket"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totals"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requests"}},{"kind":"Field","name":{"kind":"Name","value":"errors"}},{"kind":"Field","name":{"kind":"Name","value":"promptTokens"}},{"kind":"Field","name":{"kind":"Name","value":"completionTokens"}},{"kind":"Field","name":{"kind":"Name","value":"cachedTokens"}},{"kind":"Field","name":{"kind":"Name","value":"cacheWriteTokens"}},{"kind":"Field","name":{"kind":"Name","value":"costUsd"}},{"kind":"Field","name":{"kind":"Name","value":"costUsdExact"}},{"kind":"Field","name":{"kind":"Name","value":"latencyP50Ms"}},{"kind":"Field","name":{"kind":"Name","value":"latencyP95Ms"}},{"kind":"Field","name":{"kind":"Name","value":"latencyP99Ms"}}]}},{"kind":"Field","name":{"kind":"Name","value":"rows"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"bucketStart"}},{"kind":"Field","name":{"kind":"Name","value":"requests"}},{"kind":"Field","name":{"kind":"Name","value":"errors"}},{"kind":"Field","name":{"kind":"Name","value":"cachedTokens"}},{"kind":"Field","name":{"kind":"Name","value":"cacheWriteTokens"}},{"kind":"Field","name":{"kind":"Name","value":"costUsd"}},{"kind":"Field","name":{"kind":"Name","value":"costUsdExact"}}]}}]}}]}}]} as unknown as DocumentNode<UsageQuery, UsageQueryVariables>;