import type { AttemptRecord, CallRecord, ChatRequest, ChatResponse, Finish, GatewayError, ProviderError, RoutingDecision, Usage } from "../core/index.js";
import type { Principal } from "../governance/principal.js";

/** A completion as the transports hand it in: the unified request plus who asked and how to route it. */
export interface CompletionCommand {
  request: ChatRequest;
  metadata?: Record<string, unknown> | null;
  keyId?: string | null;
  teamId?: string | null;
  /** Who asked (set by the transports after authentication); governance applies its key's limits. */
  principal?: Principal;
  /** Overall deadline for this call, overriding the group's. */
  timeoutMs?: number;
  /** Per-request routing overrides. */
  routing?: { strategy?: string; fallbacks?: string[]; maxCostUsd?: number; threshold?: number[] };
  /** Aborts the call (client left). */
  signal?: AbortSignal;
  /** Told the call's row once it is recorded (the HTTP request's log line takes its id, group and deployment). */
  onRecorded?: (call: CallRecord) => void;
}

export interface CompletionOutcome {
  callId: string;
  modelGroup: string;
  deployment: string;
  provider: string;
  response: ChatResponse;
  costPico: bigint;
  latencyMs: number;
  attempts: AttemptRecord[];
  /** Quality routing and cascades: how the tier was chosen, and the cheaper call a cascade escalated from. */
  routing?: RoutingDecision & { escalatedFrom: string | null };
}

export interface ToolCallDelta {
  index: number;
  id?: string;
  name?: string;
  argumentsDelta: string;
}

interface ChunkBase {
  /** Empty only on an error chunk for a request refused at the door, which leaves no call row. */
  callId: string;
  /** 0, 1, 2, … in order. */
  index: number;
  deployment: string | null;
}

export type StreamChunk =
  /** `choice`: which answer of several (`n` > 1) the delta belongs to; absent = 0. */
  | (ChunkBase & { kind: "delta"; text?: string; reasoning?: string; reasoningSignature?: string; toolCallDeltas?: ToolCallDelta[]; choice?: number })
  /** `finish` is choice 0's; `choices` each choice's, in order, when there were several. Usage and cost cover them all. */
  | (ChunkBase & { kind: "done"; finish: Finish; usage: Usage; costPico: bigint; model: string; routing?: CompletionOutcome["routing"]; choices?: Finish[] })
  | (ChunkBase & { kind: "error"; error: GatewayError | ProviderError });

/** Prices one deployment's usage in pico-USD; 0 when the price is unknown. */
export type PriceUsage = (deploymentId: string, usage: Usage) => bigint;

/** Scope, rate limits and budget around a call (src/governance implements it). */
export interface CompletionGovernance {
  /**
   * Admits the call or throws a GatewayError (FORBIDDEN, RATE_LIMITED, BUDGET_EXCEEDED). An admitted
   * call holds a ticket (undefined when nothing is limited) that must be settled once it ended.
   * Undefined at once, no promise, when the caller is not a key: nothing is checked.
   */
  admit(command: CompletionCommand, promptTokens: number): Promise<CallTicket | undefined> | undefined;
}

export interface CallTicket {
  /** A budget applies to the call: it may only reach priced deployments (or those the config allows unpriced). */
  readonly budgeted?: boolean;
  /** Settles the budget to what the call cost and frees its reservation and slot; later calls do nothing. */
  settle(spent: { costPico: bigint; tokens: number }): void;
}
