import { AllDeploymentsFailedError, type Attempt, type Router } from "../routing/index.js";
import type { CallRecord, Usage } from "../core/index.js";
import type { CallState } from "./call-state.js";
import type { CompletionCommand, PriceUsage } from "./completion-types.js";
import type { EmbeddingCommand, EmbeddingOutcome } from "./embedding-types.js";
import type { PromptSize } from "./new-call-record.js";
import { countEmbeddingTokens, embeddingInputSize } from "./prompt-size.js";
import { toAttemptRecords } from "./to-attempt-records.js";
import { validateCallFields } from "./validate-call-fields.js";
import { validateEmbeddingRequest } from "./validate-embedding-request.js";

/** What an embedding call borrows from the completion service, so both record, price and settle in one way. */
export interface EmbeddingRunnerDeps {
  router: Router;
  price: PriceUsage;
  now(): number;
  newId(): string;
  newCall(id: string, command: CompletionCommand): CallState;
  /** Governance: refuses, or holds the budget reservation for `promptTokenBound` tokens. */
  /** Undefined when nothing is checked (see the completion service's admit). */
  admit(command: CompletionCommand, call: CallState, promptTokenBound: number): Promise<void> | undefined;
  /** The input's own size, not the empty chat's: the router checks it against context windows (and their fallbacks). */
  routeContext(command: CompletionCommand, call: CallState, input: PromptSize): Parameters<Router["embed"]>[1];
  finish(call: CallState, attempts: readonly Attempt[]): void;
  recordFailure(call: CallState, error: unknown, attempts: readonly Attempt[], started: number, usage?: Usage): void;
}

/** One embedding call: validated, admitted, routed, priced by its input tokens, recorded as a call of kind EMBEDDING. */
export function createEmbeddingRunner(deps: EmbeddingRunnerDeps) {
  return async function embed(command: EmbeddingCommand): Promise<EmbeddingOutcome> {
    const { request } = command;
    // The governance and record paths read a completion command: an embedding is a prompt with nothing to generate.
    const asCompletion: CompletionCommand = { ...command, request: { model: request.model, messages: [], maxTokens: 0, ...(request.user !== undefined ? { user: request.user } : {}) } };
    validateCallFields(asCompletion);
    validateEmbeddingRequest(request);
    const started = deps.now();
    const call = deps.newCall(deps.newId(), asCompletion);
    const { record } = call;
    record.kind = "EMBEDDING";
    let attempts: readonly Attempt[] = [];
    try {
      // UTF-8 bytes bound any tokenizer's count, as for prompts.
      const size = embeddingInputSize(request.input);
      await deps.admit(asCompletion, call, size.bound);
      const routed = await deps.router.embed(request, deps.routeContext(asCompletion, call, { ...size, count: () => countEmbeddingTokens(request.input) }));
      attempts = routed.attempts;
      const attemptRecords = toAttemptRecords(routed.attempts, deps.price);
      const costPico = attemptRecords.reduce((sum, a) => sum + a.costPico, 0n);
      const latencyMs = deps.now() - started;
      Object.assign(record, {
        modelGroup: routed.group.name,
        provider: routed.deployment.provider,
        deployment: routed.deployment.id,
        providerModel: routed.response.model || routed.deployment.model,
        status: "SUCCESS",
        promptTokens: routed.response.inputTokens,
        costPico,
        latencyMs,
        ttftMs: latencyMs,
        attemptCount: routed.attempts.length,
        attempts: attemptRecords,
      } satisfies Partial<CallRecord>);
      deps.finish(call, routed.attempts);
      return {
        callId: record.id,
        modelGroup: routed.group.name,
        deployment: routed.deployment.id,
        provider: routed.deployment.provider,
        response: routed.response,
        costPico,
        latencyMs,
        attempts: attemptRecords,
      };
    } catch (error) {
      deps.recordFailure(call, error, AllDeploymentsFailedError.isInstance(error) ? error.attempts : attempts, started);
      throw error;
    }
  };
}
