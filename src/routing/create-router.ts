import { setTimeout as sleepTimer } from "node:timers/promises";
import { GatewayError, modelNotFound, type ChatEvent, type ChatRequest, type ChatResponse } from "../core/index.js";
import type { Attempt } from "./attempt.js";
import type { BackoffSettings, Deployment, ModelGroup } from "./model-group.js";
import { runAttempts, type RunAttemptsOptions } from "./run-attempts.js";
import { openStreamAttempt } from "./open-stream-attempt.js";

export interface RouterDefaults {
  backoff: BackoffSettings;
  fallbacks: { rateLimit: string[]; contextWindow: string[]; contentPolicy: string[] };
}

export interface CreateRouterOptions {
  groups: ModelGroup[];
  defaults: RouterDefaults;
  now?: () => number;
  wallClock?: () => Date;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  onAttempt?: (attempt: Attempt) => void;
}

export interface RouteContext {
  signal?: AbortSignal;
  /** Overrides the group's overall deadline. */
  timeoutMs?: number;
  /** Estimated prompt tokens, for the context-window pre-check. */
  promptTokens?: number;
}

export interface RoutedResponse {
  group: ModelGroup;
  deployment: Deployment;
  response: ChatResponse;
  attempts: Attempt[];
}

export interface RoutedStream {
  group: ModelGroup;
  deployment: Deployment;
  /** The first event is already here (the deployment proved it can answer); the rest follow. */
  events: AsyncIterable<ChatEvent>;
  attempts: Attempt[];
}

export interface Router {
  /** A model group by name or alias. */
  resolve(model: string): ModelGroup | undefined;
  readonly groups: readonly ModelGroup[];
  complete(request: ChatRequest, context?: RouteContext): Promise<RoutedResponse>;
  stream(request: ChatRequest, context?: RouteContext): Promise<RoutedStream>;
}

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

  function plan<T>(request: ChatRequest, context: RouteContext, run: RunAttemptsOptions<T>["run"]): RunAttemptsOptions<T> {
    const start = byName.get(request.model);
    if (!start) throw modelNotFound(request.model);
    const promptTokens = context.promptTokens;
    const canServe = promptTokens === undefined ? undefined : (d: Deployment) => d.contextWindow === undefined || d.contextWindow >= promptTokens;
    if (canServe) assertSomeDeploymentFits(start, findGroup, canServe, promptTokens!);
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
      run,
      onAttempt: options.onAttempt,
    };
  }

  return {
    groups: options.groups,
    resolve: (model) => byName.get(model),

    async complete(request, context = {}) {
      const result = await runAttempts(
        plan(request, context, async ({ deployment, signal, timeoutMs }) => {
          const { response, rateLimit } = await deployment.adapter.chat({ ...request, model: deployment.model }, { signal, timeoutMs });
          return { value: response, usage: response.usage, rateLimit };
        }),
      );
      return { group: result.group, deployment: result.deployment, response: result.value, attempts: result.attempts };
    },

    async stream(request, context = {}) {
      const result = await runAttempts(
        plan(request, context, async ({ deployment, group, signal, timeoutMs }) => {
          const opened = await openStreamAttempt(deployment, { ...request, model: deployment.model }, {
            signal,
            timeoutMs,
            firstTokenTimeoutMs: Math.min(group.firstTokenTimeoutMs, timeoutMs),
          });
          return { value: opened.events, rateLimit: opened.rateLimit };
        }),
      );
      return { group: result.group, deployment: result.deployment, events: result.value, attempts: result.attempts };
    },
  };
}

function assertSomeDeploymentFits(
  start: ModelGroup,
  findGroup: (name: string) => ModelGroup | undefined,
  canServe: (d: Deployment) => boolean,
  promptTokens: number,
): void {
  const reachable = [start, ...[...start.fallbacks, ...start.contextWindowFallbacks].map(findGroup)].filter((g): g is ModelGroup => !!g);
  if (reachable.some((group) => group.deployments.some(canServe))) return;
  const largest = Math.max(...reachable.flatMap((group) => group.deployments.map((d) => d.contextWindow ?? 0)));
  throw new GatewayError(
    "BAD_USER_INPUT",
    `The prompt (about ${promptTokens} tokens) fits no deployment of "${start.name}" or its fallbacks (largest context window: ${largest} tokens)`,
    { errorKind: "context_window", promptTokens, contextWindow: largest },
  );
}

