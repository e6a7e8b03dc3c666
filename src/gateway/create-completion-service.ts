import { GatewayError, newCallId, ProviderError, type CallSink, type Usage } from "../core/index.js";
import { AllDeploymentsFailedError, type Attempt, type Router } from "../routing/index.js";
import { linkedAbort } from "../routing/linked-abort.js";
import { newCallState, type CallState } from "./call-state.js";
import type { CompletionCommand, CompletionGovernance, CompletionOutcome, PriceUsage, StreamChunk } from "./completion-types.js";
import { createRoutingHooks } from "./create-routing-hooks.js";
import type { EmbeddingCommand, EmbeddingOutcome } from "./embedding-types.js";
import { createEmbeddingRunner } from "./run-embedding.js";
import { promptSize } from "./prompt-size.js";
import { NO_TRACING, type Tracing } from "../telemetry/tracing.js";
import { toAttemptRecords } from "./to-attempt-records.js";
import { asClientError, errorKindOf, estimatedUsage, newCallRecord, routeContext, setUsageColumns, toolDelta } from "./new-call-record.js";
import { validateCallFields } from "./validate-call-fields.js";
import { validateChatRequest } from "./validate-chat-request.js";

export interface CompletionServiceOptions {
  router: Router;
  callSink: CallSink;
  price: PriceUsage;
  /** Scope, rate limits and budget reservation before routing; settled when the call is recorded. */
  governance?: CompletionGovernance;
  /** A span per call and per attempt; off (no cost) by default. */
  tracing?: Tracing;
  wallClock?: () => Date;
  newId?: () => string;
}

export interface CompletionService {
  complete(command: CompletionCommand): Promise<CompletionOutcome>;
  /** Never throws: a failure becomes a final `error` chunk. Leaving early cancels the upstream call. */
  stream(command: CompletionCommand): AsyncIterableIterator<StreamChunk>;
  /** Embeddings: routed, governed, priced and recorded like a completion (a call of kind EMBEDDING). */
  embed(command: EmbeddingCommand): Promise<EmbeddingOutcome>;
}

/** Runs one call through the router, prices it, and records exactly one call row whatever happens. */
export function createCompletionService(options: CompletionServiceOptions): CompletionService {
  // One clock for the call and its attempts: the router's.
  const now = () => options.router.now();
  const wallClock = options.wallClock ?? (() => new Date());
  const newId = options.newId ?? newCallId;
  const { router, callSink, price, governance } = options;
  const tracing = options.tracing ?? NO_TRACING;
  const routingHooks = createRoutingHooks({ callSink, price, newId, estimateUsage: estimatedUsage });

  /** Records the call and settles its budget reservation to what it cost (a cascade's escalated answers included): one place, so both always agree. */
  function finish(call: CallState, attempts: readonly Attempt[] = []): void {
    const { record } = call;
    if (attempts.some((a) => a.deployment.unpriced === true)) record.unpriced = true;
    callSink.record(record);
    const observer = call.onRecorded;
    if (observer) {
      call.onRecorded = undefined;
      try {
        observer(record);
      } catch {
        // An observer (the request log) never fails a call that was answered and recorded.
      }
    }
    const ticket = call.ticket;
    if (ticket) {
      call.ticket = undefined;
      ticket.settle({ costPico: record.costPico + call.escalatedCostPico, tokens: record.promptTokens + record.completionTokens + call.escalatedTokens });
    }
    const trace = call.trace;
    if (trace) {
      call.trace = undefined;
      try {
        trace.end(record);
      } catch {
        // Tracing never fails a call that was answered and recorded.
      }
    }
  }

  /**
   * The governance hook: refuses (throws, or rejects) before routing, or holds a ticket that finish()
   * settles. Undefined, with nothing to await, when nothing is checked (no governance, a caller that
   * is not a key): an awaited async layer there cost a promise and a microtask or two on every call.
   */
  function admit(command: CompletionCommand, call: CallState, bound: number): Promise<void> | undefined {
    // The byte bound, not the estimate: a reservation must cover the worst case.
    const admitting = governance?.admit(command, bound);
    if (admitting === undefined) return undefined;
    return admitting.then((ticket) => {
      call.ticket = ticket;
    });
  }

  function newCall(id: string, command: CompletionCommand, createdAt: Date, streamed: boolean): CallState {
    const record = newCallRecord(id, command, router.resolve(command.request.model)?.name ?? null, createdAt, streamed);
    return newCallState(record, tracing.startCall({ request: command.request, streamed }), command.onRecorded);
  }

  function recordFailure(call: CallState, error: unknown, attempts: readonly Attempt[], started: number, usage?: Usage): void {
    const { record } = call;
    const cancelled = GatewayError.isInstance(error) && error.code === "CANCELLED";
    record.status = cancelled ? "CANCELLED" : "ERROR";
    record.errorKind = errorKindOf(error);
    record.errorMessage = error instanceof Error ? error.message : String(error);
    record.attempts = toAttemptRecords(attempts, price);
    record.attemptCount = attempts.length;
    record.costPico = record.attempts.reduce((sum, a) => sum + a.costPico, 0n);
    record.latencyMs = now() - started;
    const last = attempts[attempts.length - 1];
    if (last) {
      record.modelGroup = last.group;
      record.deployment = last.deployment.id;
      record.provider = last.deployment.provider;
      record.providerModel = last.deployment.model;
    }
    if (usage) {
      setUsageColumns(record, usage);
      const lastRecord = record.attempts[record.attempts.length - 1];
      if (lastRecord) {
        lastRecord.promptTokens = usage.inputTokens;
        lastRecord.completionTokens = usage.outputTokens;
        lastRecord.costPico = price(lastRecord.deployment, usage);
        record.costPico = record.attempts.reduce((sum, a) => sum + a.costPico, 0n);
      }
    }
    finish(call, attempts);
  }

  const embed = createEmbeddingRunner({
    router,
    price,
    now,
    newId,
    newCall: (id, command) => newCall(id, command, wallClock(), false),
    admit,
    routeContext: (command, call, prompt) => routeContext(command, prompt, call.ticket),
    finish,
    recordFailure,
  });

  return {
    embed,
    async complete(command) {
      // Before the record exists: a field that could not be stored is refused, not recorded and lost.
      validateCallFields(command);
      const started = now();
      const call = newCall(newId(), command, wallClock(), false);
      const { record } = call;
      let attempts: readonly Attempt[] = [];
      try {
        validateChatRequest(command.request);
        const prompt = promptSize(command.request);
        const admitting = admit(command, call, prompt.bound);
        if (admitting !== undefined) await admitting;
        const routed = await router.complete(command.request, routeContext(command, prompt, call.ticket, routingHooks.forCall(call, prompt.estimate)));
        attempts = routed.attempts;
        const usage = routed.response.usage;
        const attemptRecords = toAttemptRecords(routed.attempts, price);
        const costPico = attemptRecords.reduce((sum, a) => sum + a.costPico, 0n);
        const latencyMs = now() - started;
        // Field by field, not Object.assign of a spread literal: no throwaway object on every call.
        record.modelGroup = routed.group.name;
        record.provider = routed.deployment.provider;
        record.deployment = routed.deployment.id;
        record.providerModel = routed.response.model || routed.deployment.model;
        record.status = "SUCCESS";
        record.finishReason = routed.response.finish.unified;
        setUsageColumns(record, usage);
        record.costPico = costPico;
        record.latencyMs = latencyMs;
        record.ttftMs = latencyMs;
        record.attemptCount = routed.attempts.length;
        record.attempts = attemptRecords;
        if (routed.decision) record.routing = routed.decision;
        finish(call, routed.attempts);
        return {
          callId: record.id,
          modelGroup: routed.group.name,
          deployment: routed.deployment.id,
          provider: routed.deployment.provider,
          response: routed.response,
          costPico,
          latencyMs,
          attempts: attemptRecords,
          ...(record.routing ? { routing: { ...record.routing, escalatedFrom: record.escalatedFrom ?? null } } : {}),
        };
      } catch (error) {
        recordFailure(call, error, AllDeploymentsFailedError.isInstance(error) ? error.attempts : attempts, started);
        throw error;
      }
    },

    stream(command) {
      const link = linkedAbort(command.signal);
      // Object.assign, not a spread: V8 gives a spread of a command a hidden class of its own (~0.3 kB held for the whole stream).
      const generator = runStream(Object.assign({}, command, { signal: link.signal }), link.dispose);
      return {
        [Symbol.asyncIterator]() {
          return this;
        },
        next: () => generator.next(),
        // Abort first: the generator may be parked on an upstream read that only the abort ends.
        return: async (value?: unknown) => {
          link.abort();
          const result = await generator.return(value as never);
          link.dispose();
          return result;
        },
        throw: (error?: unknown) => generator.throw(error),
      };
    },
  };

  /** `unlink` detaches the stream's signal from the caller's once the stream ended (the caller's may outlive it: a connection's). */
  async function* runStream(command: CompletionCommand & { signal: AbortSignal }, unlink: () => void): AsyncGenerator<StreamChunk> {
    try {
      validateCallFields(command);
    } catch (error) {
      unlink();
      yield { kind: "error", callId: "", index: 0, deployment: null, error: asClientError(error) };
      return;
    }
    const started = now();
    const callId = newId();
    const call = newCall(callId, command, wallClock(), true);
    const { record } = call;
    let index = 0;
    let deployment: string | null = null;
    let attempts: readonly Attempt[] = [];
    let textChars = 0;
    let recorded = false;
    const prompt = promptSize(command.request);
    const promptEstimate = prompt.estimate;
    try {
      validateChatRequest(command.request);
      const admitting = admit(command, call, prompt.bound);
      if (admitting !== undefined) await admitting;
      const routed = await router.stream(command.request, routeContext(command, prompt, call.ticket, routingHooks.forCall(call, promptEstimate)));
      attempts = routed.attempts;
      deployment = routed.deployment.id;
      Object.assign(record, {
        modelGroup: routed.group.name,
        provider: routed.deployment.provider,
        deployment,
        providerModel: routed.deployment.model,
        ...(routed.decision ? { routing: routed.decision } : {}),
      });
      // Events that arrived while the client was taking the previous chunk leave together (the
      // router's stream reads ahead and hands them over in one batch): consecutive text deltas
      // become one chunk, so a busy gateway sends fewer, larger chunks. The consumer never waits
      // for a batch to fill: the first token goes at once.
      const events = routed.events;
      try {
        for (let batch = await events.take(); batch !== null; batch = await events.take()) {
          for (let i = 0; i < batch.length; i++) {
            const event = batch[i]!;
            if (event.type === "finish") {
              const usage = event.usage ?? estimatedUsage(promptEstimate, textChars);
              const attemptRecords = toAttemptRecords(routed.attempts, price, usage);
              const costPico = attemptRecords.reduce((sum, a) => sum + a.costPico, 0n);
              record.status = "SUCCESS";
              record.providerModel = event.model || routed.deployment.model;
              record.finishReason = event.finish.unified;
              setUsageColumns(record, usage);
              record.costPico = costPico;
              record.latencyMs = now() - started;
              record.attemptCount = routed.attempts.length;
              record.attempts = attemptRecords;
              finish(call, routed.attempts);
              recorded = true;
              const routing = record.routing ? { routing: { ...record.routing, escalatedFrom: record.escalatedFrom ?? null } } : {};
              const choices = event.choices ? { choices: event.choices } : {};
              yield { kind: "done", callId, index: index++, deployment, finish: event.finish, usage, costPico, model: record.providerModel!, ...routing, ...choices };
              return;
            }
            if (record.ttftMs === null) record.ttftMs = now() - started;
            if (event.type === "text-delta") {
              let text = event.text;
              let next = batch[i + 1];
              while (next?.type === "text-delta" && next.choice === event.choice) {
                text += next.text;
                i += 1;
                next = batch[i + 1];
              }
              textChars += text.length;
              yield event.choice ? { kind: "delta", callId, index: index++, deployment, text, choice: event.choice } : { kind: "delta", callId, index: index++, deployment, text };
            } else if (event.type === "reasoning-delta") {
              let reasoning = event.text;
              let next = batch[i + 1];
              while (next?.type === "reasoning-delta" && next.choice === event.choice) {
                reasoning += next.text;
                i += 1;
                next = batch[i + 1];
              }
              textChars += reasoning.length;
              yield event.choice
                ? { kind: "delta", callId, index: index++, deployment, reasoning, choice: event.choice }
                : { kind: "delta", callId, index: index++, deployment, reasoning };
            } else if (event.type === "reasoning-signature") {
              yield { kind: "delta", callId, index: index++, deployment, reasoningSignature: event.signature };
            } else {
              textChars += event.argumentsDelta.length;
              const toolCallDeltas = [toolDelta(event)];
              yield event.choice ? { kind: "delta", callId, index: index++, deployment, toolCallDeltas, choice: event.choice } : { kind: "delta", callId, index: index++, deployment, toolCallDeltas };
            }
          }
        }
      } finally {
        events.close();
      }
      throw new ProviderError({ kind: "invalid_response", provider: record.provider ?? "unknown", message: "the stream ended without a finish" });
    } catch (caught) {
      if (recorded) throw caught;
      recorded = true;
      const error = command.signal.aborted ? new GatewayError("CANCELLED", "The client cancelled the stream") : caught;
      const failedAttempts = AllDeploymentsFailedError.isInstance(caught) ? caught.attempts : attempts;
      const usage = deployment !== null ? estimatedUsage(promptEstimate, textChars) : undefined;
      recordStreamFailure(call, error, failedAttempts, started, usage);
      if (!command.signal.aborted) {
        yield { kind: "error", callId, index: index++, deployment, error: asClientError(caught) };
      }
    } finally {
      unlink();
      if (!recorded) {
        // The consumer left between chunks: what was streamed so far is what was used.
        recordStreamFailure(call, new GatewayError("CANCELLED", "The client cancelled the stream"), attempts, started, estimatedUsage(promptEstimate, textChars));
      }
    }
  }

  function recordStreamFailure(call: CallState, error: unknown, attempts: readonly Attempt[], started: number, usage?: Usage): void {
    // Priced before it is recorded, so the row and the budget settlement see the same cost.
    recordFailure(call, error, attempts, started, usage);
  }
}

