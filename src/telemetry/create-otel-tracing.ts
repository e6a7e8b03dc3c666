import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span, type Tracer } from "@opentelemetry/api";
import type { AttemptRecord, CallRecord } from "../core/index.js";
import type { CallStart, CallTrace, Tracing } from "./tracing.js";

/** GenAI semantic conventions: `gen_ai.provider.name` values for Switchyard's provider names (others pass as they are). */
const GEN_AI_PROVIDER: Record<string, string> = {
  openai: "openai",
  azure: "azure.ai.openai",
  anthropic: "anthropic",
  gemini: "gcp.gemini",
  bedrock: "aws.bedrock",
  ollama: "ollama",
  simulator: "switchyard.simulator",
};

const OPERATION = "chat";

/**
 * Tracing over an OpenTelemetry tracer, with the GenAI semantic conventions (`gen_ai.*`) and
 * Switchyard's own `switchyard.*` attributes. The call span starts with the call and ends when its row
 * is recorded; each attempt becomes a child span with the attempt's own start and end, from the
 * attempt row (so hedged attempts overlap as they did).
 */
export function createOtelTracing(tracer: Tracer): Tracing {
  return {
    startCall(start: CallStart): CallTrace {
      const request = start.request;
      const attributes: Attributes = {
        "gen_ai.operation.name": OPERATION,
        "gen_ai.request.model": request.model,
        "switchyard.streamed": start.streamed,
      };
      if (request.maxTokens !== undefined) attributes["gen_ai.request.max_tokens"] = request.maxTokens;
      if (request.temperature !== undefined) attributes["gen_ai.request.temperature"] = request.temperature;
      if (request.topP !== undefined) attributes["gen_ai.request.top_p"] = request.topP;
      if (request.stop !== undefined) attributes["gen_ai.request.stop_sequences"] = request.stop;
      const span = tracer.startSpan(`${OPERATION} ${request.model}`, { kind: SpanKind.INTERNAL, attributes });
      let ended = false;
      return {
        end(record) {
          if (ended) return;
          ended = true;
          endCallSpan(tracer, span, record);
        },
      };
    },
  };
}

function endCallSpan(tracer: Tracer, span: Span, record: CallRecord): void {
  span.setAttributes({
    "switchyard.call.id": record.id,
    "switchyard.status": record.status,
    "switchyard.attempt_count": record.attemptCount,
    "switchyard.cost_usd": usd(record.costPico),
    "switchyard.latency_ms": record.latencyMs,
    ...(record.modelGroup ? { "switchyard.model_group": record.modelGroup } : {}),
    ...(record.deployment ? { "switchyard.deployment": record.deployment } : {}),
    ...(record.keyId ? { "switchyard.key_id": record.keyId } : {}),
    ...(record.teamId ? { "switchyard.team_id": record.teamId } : {}),
    ...(record.ttftMs !== null ? { "switchyard.ttft_ms": record.ttftMs } : {}),
    ...(record.routing ? { "switchyard.routing.policy": record.routing.policy, "switchyard.routing.tier": record.routing.tier } : {}),
    ...(record.escalatedFrom ? { "switchyard.escalated_from": record.escalatedFrom } : {}),
    ...providerAttributes(record.provider),
  });
  if (record.status === "SUCCESS") {
    span.setAttributes({
      "gen_ai.usage.input_tokens": record.promptTokens,
      "gen_ai.usage.output_tokens": record.completionTokens,
      ...(record.providerModel ? { "gen_ai.response.model": record.providerModel } : {}),
      ...(record.finishReason ? { "gen_ai.response.finish_reasons": [record.finishReason.toLowerCase()] } : {}),
    });
  } else {
    if (record.promptTokens > 0 || record.completionTokens > 0) {
      span.setAttributes({ "gen_ai.usage.input_tokens": record.promptTokens, "gen_ai.usage.output_tokens": record.completionTokens });
    }
    span.setAttribute("error.type", record.errorKind ?? record.status.toLowerCase());
    span.setStatus({ code: SpanStatusCode.ERROR, ...(record.errorMessage ? { message: record.errorMessage } : {}) });
  }
  const parent = trace.setSpan(ROOT_CONTEXT, span);
  for (const attempt of record.attempts) attemptSpan(tracer, parent, record, attempt);
  span.end();
}

function attemptSpan(tracer: Tracer, parent: Context, record: CallRecord, attempt: AttemptRecord): void {
  const startMs = attempt.startedAt.getTime();
  const attributes: Attributes = {
    "gen_ai.operation.name": OPERATION,
    "gen_ai.request.model": attempt.providerModel,
    ...providerAttributes(attempt.provider),
    "switchyard.call.id": record.id,
    "switchyard.model_group": attempt.modelGroup,
    "switchyard.deployment": attempt.deployment,
    "switchyard.attempt.number": attempt.index + 1,
    "switchyard.attempt.outcome": attempt.outcome,
    "switchyard.attempt.hedged": attempt.hedged,
    "switchyard.cost_usd": usd(attempt.costPico),
    "gen_ai.usage.input_tokens": attempt.promptTokens,
    "gen_ai.usage.output_tokens": attempt.completionTokens,
  };
  if (attempt.httpStatus !== null) attributes["http.response.status_code"] = attempt.httpStatus;
  const span = tracer.startSpan(`${OPERATION} ${attempt.providerModel}`, { kind: SpanKind.CLIENT, attributes, startTime: startMs }, parent);
  if (attempt.outcome !== "SUCCESS") {
    span.setAttribute("error.type", attempt.errorKind ?? attempt.outcome.toLowerCase());
    span.setStatus({ code: SpanStatusCode.ERROR, ...(attempt.errorMessage ? { message: attempt.errorMessage } : {}) });
  }
  span.end(startMs + attempt.latencyMs);
}

/** `gen_ai.provider.name`, and `gen_ai.system` (its name before the conventions renamed it) for older back ends. */
function providerAttributes(provider: string | null): Attributes {
  if (!provider) return {};
  const name = GEN_AI_PROVIDER[provider] ?? provider;
  return { "gen_ai.provider.name": name, "gen_ai.system": name, "switchyard.provider": provider };
}

function usd(pico: bigint): number {
  return Number(pico) / 1e12;
}
