import { setTimeout as sleepTimer } from "node:timers/promises";
import { emptyUsage, GatewayError, modelNotFound, type ProviderError, type ChatRequest } from "../core/index.js";
import { assertSomeDeploymentFits } from "./assert-some-deployment-fits.js";
import { assertSomePricedDeployment } from "./assert-some-priced-deployment.js";
import { createHealthTracker, type HealthTracker } from "./health/create-health-tracker.js";
import type { HealthShare } from "./health/health-share.js";
import type { CooldownSettings } from "./health/health-types.js";
import type { BackoffSettings, Deployment, ModelGroup } from "./model-group.js";
import { createFeatureRejections, featuresOf, rejectedFeature, type FeatureRejections, type RequestFeature } from "./feature-rejections.js";
import { openStreamAttempt } from "./open-stream-attempt.js";
import { completeOverTiers, streamOverTiers, type TierRoutes } from "./quality/route-over-tiers.js";
import { reachableGroups } from "./reachable-groups.js";
import type { RouteContext } from "./route-context.js";
import type { RoutedResponse, RoutedStream, Router } from "./router.js";
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
