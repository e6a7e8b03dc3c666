import { emptyUsage, GatewayError, ProviderError, type CallRecord, type ChatEvent, type Usage } from "../core/index.js";
import { AllDeploymentsFailedError, type RouteContext } from "../routing/index.js";
import type { CallTicket, CompletionCommand, ToolCallDelta } from "./completion-types.js";
import { estimateTextTokens } from "./estimate-prompt-tokens.js";
import { countPromptTokens } from "./prompt-size.js";

/** A call's row before routing: an ERROR with nothing spent, filled in as the call goes. */
export function newCallRecord(id: string, command: CompletionCommand, modelGroup: string | null, createdAt: Date, streamed: boolean): CallRecord {
  return {
    id,
    createdAt,
    requestedModel: command.request.model,
    modelGroup,
    provider: null,
    deployment: null,
    providerModel: null,
    status: "ERROR",
    errorKind: null,
    errorMessage: null,
    finishReason: null,
    streamed,
    promptTokens: 0,
    completionTokens: 0,
    cachedTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    costPico: 0n,
    latencyMs: 0,
    ttftMs: null,
    attemptCount: 0,
    keyId: command.keyId ?? null,
    teamId: command.teamId ?? null,
    endUser: command.request.user ?? null,
    metadata: command.metadata ?? null,
    routing: null,
    escalatedFrom: null,
    attempts: [],
  };
}

/** What the router reads of a prompt's size: estimate, bound, and the exact count on demand (the chat's messages when absent). */
export interface PromptSize {
  estimate: number;
  bound: number;
  count?: () => number;
}

/**
 * The router's context for a command: deadline, signal, the caller's routing options, priced deployments only for a budget,
 * and the routing hooks of the call. Every field is always there (undefined when unset): one shape for every call.
 */
export function routeContext(
  command: CompletionCommand,
  prompt: PromptSize,
  ticket: CallTicket | undefined,
  hooks?: Pick<RouteContext, "onDecision" | "onEscalation">,
): RouteContext {
  const routing = command.routing;
  return {
    signal: command.signal,
    timeoutMs: command.timeoutMs,
    promptTokens: prompt.estimate,
    promptTokenBound: prompt.bound,
    countPromptTokens: prompt.count ?? (() => countPromptTokens(command.request)),
    strategy: routing?.strategy,
    fallbacks: routing?.fallbacks,
    maxCostPico: routing?.maxCostUsd !== undefined ? routing.maxCostUsd * 1e12 : undefined,
    // A budgeted caller only reaches priced deployments (never a silent $0 against its budget).
    pricedOnly: ticket?.budgeted === true ? true : undefined,
    thresholds: routing?.threshold,
    onDecision: hooks?.onDecision,
    onEscalation: hooks?.onEscalation,
  };
}

/** The usage columns written onto a record in place. */
export function setUsageColumns(record: CallRecord, usage: Usage): void {
  record.promptTokens = usage.inputTokens;
  record.completionTokens = usage.outputTokens;
  record.cachedTokens = usage.cachedInputTokens;
  record.cacheWriteTokens = usage.cacheWriteTokens;
  record.reasoningTokens = usage.reasoningTokens;
}

export function estimatedUsage(promptTokens: number, textChars: number): Usage {
  return { ...emptyUsage(), inputTokens: promptTokens, outputTokens: estimateTextTokens(textChars) };
}

export function toolDelta(event: Extract<ChatEvent, { type: "tool-call-delta" }>): ToolCallDelta {
  return { index: event.index, id: event.id, name: event.name, argumentsDelta: event.argumentsDelta };
}

export function errorKindOf(error: unknown): string {
  if (ProviderError.isInstance(error)) return error.kind;
  if (AllDeploymentsFailedError.isInstance(error)) {
    if (error.code !== "ALL_DEPLOYMENTS_FAILED") return error.code;
    return error.attempts[error.attempts.length - 1]?.error?.kind ?? error.code;
  }
  if (GatewayError.isInstance(error)) return (error.details.errorKind as string | undefined) ?? error.code;
  return "internal";
}

export function asClientError(error: unknown): GatewayError | ProviderError {
  if (GatewayError.isInstance(error) || ProviderError.isInstance(error)) return error;
  return new GatewayError("INTERNAL", "The stream failed");
}

