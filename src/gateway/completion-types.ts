import type { AttemptRecord, ChatRequest, ChatResponse, Finish, GatewayError, ProviderError, Usage } from "../core/index.js";

/** A completion as the transports hand it in: the unified request plus who asked and how to route it. */
export interface CompletionCommand {
  request: ChatRequest;
  metadata?: Record<string, unknown> | null;
  keyId?: string | null;
  teamId?: string | null;
  /** Overall deadline for this call, overriding the group's. */
  timeoutMs?: number;
  /** Per-request routing overrides. */
  routing?: { strategy?: string; fallbacks?: string[]; maxCostUsd?: number };
  /** Aborts the call (client left). */
  signal?: AbortSignal;
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
}

export interface ToolCallDelta {
  index: number;
  id?: string;
  name?: string;
  argumentsDelta: string;
}

interface ChunkBase {
  callId: string;
  /** 0, 1, 2, … in order. */
  index: number;
  deployment: string | null;
}

export type StreamChunk =
  | (ChunkBase & { kind: "delta"; text?: string; toolCallDeltas?: ToolCallDelta[] })
  | (ChunkBase & { kind: "done"; finish: Finish; usage: Usage; costPico: bigint; model: string })
  | (ChunkBase & { kind: "error"; error: GatewayError | ProviderError });

/** Prices one deployment's usage in pico-USD; 0 when the price is unknown. */
export type PriceUsage = (deploymentId: string, usage: Usage) => bigint;
