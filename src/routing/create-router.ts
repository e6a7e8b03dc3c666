import { setTimeout as sleepTimer } from "node:timers/promises";
import { emptyUsage, GatewayError, modelNotFound, type ProviderError, type EmbeddingRequest, type EmbeddingResponse, type ChatRequest, type ChatResponse, type Finish, type RoutingDecision, type Usage } from "../core/index.js";
import type { Attempt } from "./attempt.js";
import { createHealthTracker, type HealthTracker } from "./health/create-health-tracker.js";
import type { HealthShare } from "./health/health-share.js";
import type { CooldownSettings } from "./health/health-types.js";
import type { BackoffSettings, Deployment, ModelGroup } from "./model-group.js";
import { createFeatureRejections, featuresOf, rejectedFeature, type FeatureRejections, type RequestFeature } from "./feature-rejections.js";
import type { EventBatches } from "./attempt-event-stream.js";
import { openStreamAttempt } from "./open-stream-attempt.js";
import { completeOverTiers, streamOverTiers, type TierRoutes } from "./quality/route-over-tiers.js";
import { reachableGroups } from "./reachable-groups.js";
import { runAttempts, type RunAttemptsOptions } from "./run-attempts.js";
import { DEFAULT_EXPECTED_OUTPUT_TOKENS } from "./strategies/lowest-cost.js";
import { STRATEGY_TABLE, type Candidate } from "./strategies/index.js";

export interface RouterDefaults {
  backoff: BackoffSettings;
  fallbacks: { rateLimit: string[]; contextWindow: string[]; contentPolicy: string[] };
  cooldown?: CooldownSettings;
}

export interface CreateRouterOptions {
  groups: ModelGroup[];
  defaults: RouterDefaults;
  /** Monotonic milliseconds, for deadlines and latencies. */
  now?: () => number;
  wallClock?: () => Date;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Live deployment state; one is created from `defaults.cooldown` (and `healthShare`) when absent. */
  health?: HealthTracker;
  /** Shares cooldowns and half-open probes with other instances (Redis); absent: health is this instance's own. */
  healthShare?: HealthShare;
  /** Features deployments refused; one is created when absent. */
  featureRejections?: FeatureRejections;
}

export interface RouteContext {
  signal?: AbortSignal;
  /** Overrides the group's overall deadline. */
  timeoutMs?: number;
  /** Estimated prompt tokens, for the context-window pre-check and the cost strategy. */
  promptTokens?: number;
  /** A number of tokens the prompt cannot exceed; when it fits a window, no counting is needed. */
  promptTokenBound?: number;
  /** The exact count, computed on demand (only for prompts near a context window). */
  countPromptTokens?: () => number;
  /** Per-request overrides of the group's strategy and fallback chain. */
  strategy?: string;
  fallbacks?: string[];
  /** Skip deployments whose expected cost (prompt + maxTokens or a default output) is above this, in pico-USD. */
  maxCostPico?: number;
  /** The caller has a budget: skip deployments with no known price (unless the config allows them), as their cost could not be charged. */
  pricedOnly?: boolean;
  /** A quality group's thresholds for this request (`routing.threshold`), one per boundary. */
  thresholds?: number[];
  /** Told where a quality or cascade group sends the call, before the tier is called (so a failed call knows it too). */
  onDecision?(decision: RoutingDecision): void;
  /** Told of each cascade answer that failed its checks, before the next tier is tried: a call of its own. */
  onEscalation?(answer: EscalatedAnswer): void;
}

/** A cheaper tier's answer that a cascade did not keep: it was paid for, so it is recorded and billed. */
export interface EscalatedAnswer {
  group: ModelGroup;
  deployment: Deployment;
  attempts: Attempt[];
  decision: RoutingDecision;
  streamed: boolean;
  /** The provider model that answered. */
  model: string;
  finish: Finish;
  /** Absent when a stream ended without usage. */
  usage?: Usage;
  text: string;
  latencyMs: number;
  ttftMs: number;
}

export interface RoutedResponse {
  group: ModelGroup;
  deployment: Deployment;
  response: ChatResponse;
  attempts: Attempt[];
  /** How a quality or cascade group chose the tier. */
  decision?: RoutingDecision;
}

export interface RoutedStream {
  group: ModelGroup;
  deployment: Deployment;
  /**
   * The first event is already here (the deployment proved it can answer); the rest follow. Read
   * ahead of the consumer and offered in batches (`take`); `close` (or `return`) aborts the upstream.
   */
  events: EventBatches;
  attempts: Attempt[];
  decision?: RoutingDecision;
}

export interface Router {
  /** A model group by name or alias. */
  resolve(model: string): ModelGroup | undefined;
  readonly groups: readonly ModelGroup[];
  readonly health: HealthTracker;
  /** What deployments refused (tools, a JSON schema, JSON mode) although the catalog did not say they would. */
  readonly featureRejections: FeatureRejections;
  /** The router's monotonic clock (ms): attempts' `startedAtMs` and `latencyMs` are on it. */
  now(): number;
  complete(request: ChatRequest, context?: RouteContext): Promise<RoutedResponse>;
  stream(request: ChatRequest, context?: RouteContext): Promise<RoutedStream>;
  /** Embeddings through the same attempt loop, over the group's deployments whose adapter embeds. */
  embed(request: EmbeddingRequest, context?: RouteContext): Promise<RoutedEmbedding>;
}

export interface RoutedEmbedding {
  group: ModelGroup;
  deployment: Deployment;
  response: EmbeddingResponse;
  attempts: Attempt[];
}

const DEFAULT_COOLDOWN: CooldownSettings = { failures: 3, windowMs: 60_000, durationMs: 30_000 };
/** Hedge delay while a group has too few samples for its own p95. */
const DEFAULT_HEDGE_MS = 1_000;

export function createRouter(options: CreateRouterOptions): Router {
  const byName = new Map<string, ModelGroup>();
  for (const group of options.groups) {
    byName.set(group.name, group);
    for (const alias of group.aliases) byName.set(alias, group);
  }
  const now = options.now ?? (() => performance.now());
  const wallClock = options.wallClock ?? (() => new Date());
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? ((ms: number, signal?: AbortSignal) => sleepTimer(ms, undefined, { signal }));
  const findGroup = (name: string) => byName.get(name);
  const health =
    options.health ??
    createHealthTracker({
      deployments: options.groups.flatMap((g) => g.deployments.map((d) => ({ id: d.id, group: g.name }))),
      cooldown: options.defaults.cooldown ?? DEFAULT_COOLDOWN,
      ...(options.healthShare ? { share: options.healthShare } : {}),
    });
  const rejections = options.featureRejections ?? createFeatureRejections();
  const turns = new Map<string, number>();
  // Candidates pair a deployment with its live state: both are stable objects, so build them once,
  // and the list of a whole group (what a pick usually gets) once per group.
  const candidates = new Map<Deployment, Candidate>();
  const candidateOf = (deployment: Deployment): Candidate => {
    let candidate = candidates.get(deployment);
    if (!candidate) {
      candidate = { deployment, state: health.view(deployment.id) };
      candidates.set(deployment, candidate);
    }
    return candidate;
  };
  const groupCandidates = new WeakMap<readonly Deployment[], Candidate[]>();
  const candidatesOf = (group: ModelGroup, eligible: readonly Deployment[]): Candidate[] => {
    if (eligible !== group.deployments) return eligible.map(candidateOf);
    let list = groupCandidates.get(eligible);
    if (!list) {
      list = eligible.map(candidateOf);
      groupCandidates.set(eligible, list);
    }
    return list;
  };

  function plan<T>(
    request: ChatRequest,
    resolved: ModelGroup,
    context: RouteContext,
    streaming: boolean,
    run: RunAttemptsOptions<T>["run"],
    embedding = false,
  ): RunAttemptsOptions<T> {
    if (context.strategy !== undefined && !STRATEGY_TABLE[context.strategy]) {
      throw new GatewayError("BAD_USER_INPUT", `routing.strategy: unknown strategy "${context.strategy}" (one of: ${Object.keys(STRATEGY_TABLE).join(", ")})`, { field: "routing.strategy" });
    }
    for (const name of context.fallbacks ?? []) {
      if (!byName.has(name)) throw new GatewayError("BAD_USER_INPUT", `routing.fallbacks: unknown model group "${name}"`, { field: "routing.fallbacks" });
      if (byName.get(name)!.policy) throw new GatewayError("BAD_USER_INPUT", `routing.fallbacks: "${name}" routes over tiers and cannot be a fallback`, { field: "routing.fallbacks" });
    }
    const start: ModelGroup = context.fallbacks ? { ...resolved, fallbacks: context.fallbacks.map((name) => byName.get(name)!.name) } : resolved;
    const promptTokens = context.promptTokens ?? 0;
    const needsTools = (request.tools?.length ?? 0) > 0 && request.toolChoice !== "none";
    const needsSchema = request.responseFormat?.type === "json_schema";
    const features = featuresOf(request);
    const needsVision = features.includes("vision");
    const needsChoices = (request.n ?? 1) > 1;
    const servesChoices = (d: Deployment) => d.adapter.multipleChoices !== undefined && (!streaming || d.adapter.multipleChoices.stream);
    const expectedOutput = request.maxTokens ?? DEFAULT_EXPECTED_OUTPUT_TOKENS;
    const withinCost = (d: Deployment) =>
      context.maxCostPico === undefined ||
      d.inputPicoPerToken === undefined ||
      d.outputPicoPerToken === undefined ||
      promptTokens * d.inputPicoPerToken + expectedOutput * d.outputPicoPerToken <= context.maxCostPico;
    let exact: number | undefined;
    const fits = (d: Deployment) => {
      if (context.promptTokens === undefined || d.contextWindow === undefined) return true;
      if (context.promptTokenBound !== undefined && context.promptTokenBound <= d.contextWindow) return true;
      // Clearly too long: spare the tokenizer a huge prompt.
      if (promptTokens > 2 * d.contextWindow || !context.countPromptTokens) return promptTokens <= d.contextWindow;
      exact ??= context.countPromptTokens();
      return exact <= d.contextWindow;
    };
    const canServe = (d: Deployment) =>
      withinCost(d) &&
      fits(d) &&
      !(needsTools && d.supportsTools === false) &&
      !(needsSchema && d.supportsJsonSchema === false) &&
      !(needsVision && d.supportsVision === false) &&
      !(needsChoices && !servesChoices(d)) &&
      !(context.pricedOnly === true && d.unpriced === true && d.unpricedAllowed !== true) &&
      !(features.length > 0 && rejections.refused(d.id, features)) &&
      (embedding ? d.adapter.embed !== undefined && d.mode !== "chat" : d.mode !== "embedding");
    // The usual case, the start group can serve: no walk of the fallback chains.
    if (!start.deployments.some(canServe)) {
      const reachable = reachableGroups(start, { find: findGroup, defaults: options.defaults.fallbacks, chains: ["contextWindow"] });
      if (needsChoices && !reachable.some((group) => group.deployments.some(servesChoices))) {
        const how = streaming
          ? "stream more than one choice (OpenAI, Azure and OpenAI-compatible deployments can; Gemini only with stream: false)"
          : "answer with more than one choice (OpenAI, Azure, OpenAI-compatible and Gemini deployments can)";
        throw new GatewayError("BAD_USER_INPUT", `n: no deployment of "${start.name}" or its fallbacks can ${how}; send n = 1`, {
          errorKind: "unsupported_feature",
          param: "n",
        });
      }
      if (!embedding && !reachable.some((group) => group.deployments.some((d) => d.mode !== "embedding"))) {
        throw new GatewayError("BAD_USER_INPUT", `model: "${start.name}" serves embeddings only (POST /v1/embeddings, GraphQL embed)`, {
          errorKind: "unsupported_feature",
          param: "model",
        });
      }
      if (embedding && !reachable.some((group) => group.deployments.some((d) => d.adapter.embed !== undefined && d.mode !== "chat"))) {
        throw new GatewayError("BAD_USER_INPUT", `model: "${start.name}" has no deployment that serves embeddings (openai, azure, gemini, bedrock, ollama and openai-compatible ones can)`, {
          errorKind: "unsupported_feature",
          param: "model",
        });
      }
      if (context.pricedOnly === true) assertSomePricedDeployment(start, reachable);
      assertSomeDeploymentFits(start, reachable, canServe, promptTokens, context.maxCostPico);
    }
    return {
      requestedModel: request.model,
      start,
      findGroup,
      defaultFallbacks: options.defaults.fallbacks,
      backoff: options.defaults.backoff,
      signal: context.signal,
      deadlineAt: now() + (context.timeoutMs ?? start.timeoutMs),
      now,
      wallClock,
      random,
      sleep,
      canServe,
      health,
      promptTokens,
      rejectedFeature: features.length > 0 ? (error: ProviderError) => rejectedFeature(error, features) : undefined,
      onFeatureRejected: features.length > 0 ? (d: Deployment, feature: RequestFeature) => rejections.remember(d.id, feature) : undefined,
      pick(group, eligible) {
        const strategy = STRATEGY_TABLE[(group === start ? context.strategy : undefined) ?? group.strategy] ?? STRATEGY_TABLE.weighted!;
        const turn = turns.get(group.name) ?? 0;
        turns.set(group.name, turn + 1);
        return strategy(candidatesOf(group, eligible), { random, promptTokens, turn, now: health.now(), maxTokens: request.maxTokens || undefined }).deployment;
      },
      hedgeDelayMs(group) {
        if (group.hedgeAfterMs === undefined) return undefined;
        if (group.hedgeAfterMs !== "auto") return group.hedgeAfterMs;
        return health.groupP95(group.name, streaming ? "ttft" : "latency") ?? DEFAULT_HEDGE_MS;
      },
      run,
    };
  }

  async function completeIn(group: ModelGroup, request: ChatRequest, context: RouteContext): Promise<RoutedResponse> {
    const result = await runAttempts(
      plan(request, group, context, false, async ({ deployment, signal, timeoutMs }) => {
        const { response, rateLimit } = await deployment.adapter.chat({ ...request, model: deployment.model }, { signal, timeoutMs });
        return { value: response, usage: response.usage, rateLimit };
      }),
    );
    return { group: result.group, deployment: result.deployment, response: result.value, attempts: result.attempts };
  }

  async function streamIn(group: ModelGroup, request: ChatRequest, context: RouteContext): Promise<RoutedStream> {
    const result = await runAttempts(
      plan(request, group, context, true, async ({ deployment, group, signal, timeoutMs }, settle) => {
        const opened = await openStreamAttempt(deployment, { ...request, model: deployment.model }, {
          signal,
          timeoutMs,
          firstTokenTimeoutMs: Math.min(group.firstTokenTimeoutMs, timeoutMs),
          onEnd: settle,
          now,
        });
        return { value: opened.events, deferred: true, ...(opened.rateLimit ? { rateLimit: opened.rateLimit } : {}) };
      }),
    );
    return { group: result.group, deployment: result.deployment, events: result.value, attempts: result.attempts };
  }

  const tierRoutes: TierRoutes = { complete: completeIn, stream: streamIn, findGroup, now };
  const resolveOrThrow = (request: ChatRequest, context: RouteContext): ModelGroup => {
    const group = byName.get(request.model);
    if (!group) throw modelNotFound(request.model);
    if (context.thresholds && !group.policy) {
      throw new GatewayError("BAD_USER_INPUT", `routing.threshold: "${request.model}" is not a quality group`, { field: "routing.threshold" });
    }
    return group;
  };

  return {
    groups: options.groups,
    health,
    featureRejections: rejections,
    resolve: (model) => byName.get(model),
    now,

    // Not async functions: one returning the promise of another costs a promise and two microtasks
    // more; a refusal before routing still arrives as a rejection.
    complete(request, context = {}) {
      let group: ModelGroup;
      try {
        group = resolveOrThrow(request, context);
      } catch (error) {
        return Promise.reject(error);
      }
      return group.policy ? completeOverTiers(group.policy, request, context, tierRoutes) : completeIn(group, request, context);
    },

    stream(request, context = {}) {
      let group: ModelGroup;
      try {
        group = resolveOrThrow(request, context);
      } catch (error) {
        return Promise.reject(error);
      }
      return group.policy ? streamOverTiers(group.policy, request, context, tierRoutes) : streamIn(group, request, context);
    },

    async embed(request, context = {}) {
      // The pre-call checks read a chat request: an embedding is a prompt with nothing to generate.
      const asChat: ChatRequest = { model: request.model, messages: [], maxTokens: 1 };
      const group = resolveOrThrow(asChat, context);
      if (group.policy) throw new GatewayError("BAD_USER_INPUT", `model: "${request.model}" routes over tiers by prompt and cannot embed`, { param: "model" });
      const result = await runAttempts(
        plan(asChat, group, context, false, async ({ deployment, signal, timeoutMs }) => {
          const { response, rateLimit } = await deployment.adapter.embed!({ ...request, model: deployment.model }, { signal, timeoutMs });
          return { value: response, usage: { ...emptyUsage(), inputTokens: response.inputTokens }, ...(rateLimit ? { rateLimit } : {}) };
        }, true),
      );
      return { group: result.group, deployment: result.deployment, response: result.value, attempts: result.attempts };
    },
  };
}

function assertSomeDeploymentFits(
  start: ModelGroup,
  reachable: readonly ModelGroup[],
  canServe: (d: Deployment) => boolean,
  promptTokens: number,
  maxCostPico?: number,
): void {
  if (reachable.some((group) => group.deployments.some(canServe))) return;
  if (maxCostPico !== undefined) {
    throw new GatewayError("BAD_USER_INPUT", `No deployment of "${start.name}" or its fallbacks can serve this request within routing.maxCostUsd`, {
      errorKind: "over_cost_limit",
      field: "routing.maxCostUsd",
    });
  }
  const largest = Math.max(...reachable.flatMap((group) => group.deployments.map((d) => d.contextWindow ?? 0)));
  const tooLong = reachable.some((group) => group.deployments.some((d) => d.contextWindow !== undefined && d.contextWindow < promptTokens));
  throw new GatewayError(
    "BAD_USER_INPUT",
    tooLong
      ? `The prompt (about ${promptTokens} tokens) fits no deployment of "${start.name}" or its fallbacks (largest context window: ${largest} tokens)`
      : `No deployment of "${start.name}" or its fallbacks supports what this request needs (tools, images or a JSON schema): the config or the catalog says so, or the deployment refused it before`,
    { errorKind: tooLong ? "context_window" : "unsupported_feature", promptTokens },
  );
}

/** A budget cannot be charged for a call whose price is unknown: refuse, naming the deployments and the config key. */
function assertSomePricedDeployment(start: ModelGroup, reachable: readonly ModelGroup[]): void {
  const all = reachable.flatMap((group) => group.deployments);
  if (all.some((d) => d.unpriced !== true || d.unpricedAllowed === true)) return;
  const names = all.map((d) => d.id).join(", ");
  throw new GatewayError(
    "FORBIDDEN",
    `"${start.name}" reaches only deployments with no known price (${names}), and this key has a budget that could not be charged for them; ` +
      "give them `pricing` in the config, or set `allowUnpriced: true` on a deployment to let budgeted keys use it",
    { errorKind: "unpriced_deployment", model: start.name, deployments: all.map((d) => d.id) },
  );
}
