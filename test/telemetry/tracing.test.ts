import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CompleteDocument, CompletionStreamDocument } from "../gql/graphql.js";
import { collect, startTestGateway, type TestGateway } from "../helpers/start-test-gateway.js";
import { createOtelTracing } from "../../src/telemetry/index.js";

const CONFIG = `
simulator: { seed: 7 }
models:
  - name: fast
    retries: 0
    deployments:
      - id: sim-fast
        provider: simulator
        model: gpt-4o-mini
        simulate: { outputTokens: 12 }
  - name: primary
    retries: 0
    fallbacks: [backup]
    deployments:
      - id: sim-broken
        provider: simulator
        model: gpt-4o
        simulate: { failures: { serverError: 1 } }
  - name: backup
    retries: 0
    deployments:
      - id: sim-backup
        provider: simulator
        model: gpt-4o-mini
        simulate: { outputTokens: 8 }
  - name: down
    retries: 1
    deployments:
      - id: sim-down
        provider: simulator
        model: gpt-4o-mini
        simulate: { failures: { serverError: 1 } }
router:
  backoff: { baseMs: 1, maxMs: 2 }
`;

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
let gateway: TestGateway;

beforeAll(async () => {
  gateway = await startTestGateway(CONFIG, { tracing: createOtelTracing(provider.getTracer("test")) });
});
afterAll(async () => {
  await gateway?.close();
  await provider.shutdown();
});
beforeEach(() => exporter.reset());

const input = (model: string, extra: Record<string, unknown> = {}) => ({ input: { model, messages: [{ role: "USER" as const, content: "Tell me something" }], ...extra } });

/** The call span (no parent) and its attempt spans, in attempt order. */
function callTree(): { call: ReadableSpan; attempts: ReadableSpan[] } {
  const spans = exporter.getFinishedSpans();
  const roots = spans.filter((s) => !s.parentSpanContext);
  expect(roots).toHaveLength(1);
  const call = roots[0]!;
  const attempts = spans
    .filter((s) => s.parentSpanContext?.spanId === call.spanContext().spanId)
    .sort((a, b) => Number(a.attributes["switchyard.attempt.number"]) - Number(b.attributes["switchyard.attempt.number"]));
  expect(attempts.every((a) => a.spanContext().traceId === call.spanContext().traceId)).toBe(true);
  expect(spans).toHaveLength(1 + attempts.length);
  return { call, attempts };
}

describe("traces with the GenAI semantic conventions", () => {
  it("a successful call: one call span and one attempt span with model, usage, finish reason and cost", async () => {
    const result = await gateway.execute(CompleteDocument, input("fast", { maxTokens: 50, temperature: 0.2 }));
    expect(result.errors).toBeUndefined();
    const completion = result.data!.complete;
    const { call, attempts } = callTree();

    expect(call.name).toBe("chat fast");
    expect(call.kind).toBe(SpanKind.INTERNAL);
    expect(call.status.code).not.toBe(SpanStatusCode.ERROR);
    expect(call.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "switchyard.simulator",
      "gen_ai.system": "switchyard.simulator",
      "gen_ai.request.model": "fast",
      "gen_ai.request.max_tokens": 50,
      "gen_ai.request.temperature": 0.2,
      "gen_ai.response.model": "gpt-4o-mini",
      "gen_ai.usage.input_tokens": completion.usage.promptTokens,
      "gen_ai.usage.output_tokens": 12,
      "gen_ai.response.finish_reasons": ["stop"],
      "switchyard.call.id": completion.id,
      "switchyard.model_group": "fast",
      "switchyard.deployment": "sim-fast",
      "switchyard.attempt_count": 1,
      "switchyard.streamed": false,
      "switchyard.status": "SUCCESS",
    });
    expect(call.attributes["switchyard.cost_usd"]).toBeCloseTo(completion.costUsd, 15);

    expect(attempts).toHaveLength(1);
    const [attempt] = attempts;
    expect(attempt!.name).toBe("chat gpt-4o-mini");
    expect(attempt!.kind).toBe(SpanKind.CLIENT);
    expect(attempt!.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.request.model": "gpt-4o-mini",
      "gen_ai.provider.name": "switchyard.simulator",
      "gen_ai.usage.output_tokens": 12,
      "switchyard.deployment": "sim-fast",
      "switchyard.model_group": "fast",
      "switchyard.attempt.number": 1,
      "switchyard.attempt.outcome": "SUCCESS",
      "switchyard.call.id": completion.id,
    });
    expect(attempt!.attributes["switchyard.cost_usd"]).toBeCloseTo(completion.costUsd, 15);
  });

  it("a failed attempt and a fallback: two attempt spans, the first an error, under one successful call span", async () => {
    const result = await gateway.execute(CompleteDocument, input("primary"));
    expect(result.errors).toBeUndefined();
    expect(result.data!.complete.deployment).toBe("sim-backup");
    const { call, attempts } = callTree();

    expect(call.status.code).not.toBe(SpanStatusCode.ERROR);
    expect(call.attributes).toMatchObject({ "gen_ai.request.model": "primary", "switchyard.model_group": "backup", "switchyard.deployment": "sim-backup", "switchyard.attempt_count": 2 });
    expect(attempts.map((a) => [a.attributes["switchyard.attempt.number"], a.attributes["switchyard.model_group"], a.attributes["switchyard.deployment"], a.attributes["gen_ai.request.model"], a.status.code])).toEqual([
      [1, "primary", "sim-broken", "gpt-4o", SpanStatusCode.ERROR],
      [2, "backup", "sim-backup", "gpt-4o-mini", SpanStatusCode.UNSET],
    ]);
    expect(attempts[0]!.attributes).toMatchObject({ "error.type": "server", "http.response.status_code": 500, "switchyard.attempt.outcome": "ERROR" });
    // The attempts happened one after the other, inside the call.
    const ms = (t: readonly [number, number]) => t[0] * 1e3 + t[1] / 1e6;
    expect(ms(attempts[0]!.endTime)).toBeLessThanOrEqual(ms(attempts[1]!.startTime) + 1);
    expect(ms(attempts[0]!.startTime)).toBeGreaterThanOrEqual(ms(call.startTime) - 1);
  });

  it("a call that fails: error status and error.type on the call span and on every attempt span", async () => {
    const result = await gateway.execute(CompleteDocument, input("down"));
    expect(result.errors?.[0]?.extensions?.code).toBe("ALL_DEPLOYMENTS_FAILED");
    const { call, attempts } = callTree();

    expect(call.status.code).toBe(SpanStatusCode.ERROR);
    expect(call.status.message).toMatch(/\S/);
    expect(call.attributes).toMatchObject({ "error.type": "server", "switchyard.status": "ERROR", "switchyard.attempt_count": 2 });
    expect(call.attributes["gen_ai.response.model"]).toBeUndefined();
    expect(attempts).toHaveLength(2);
    expect(attempts.every((a) => a.status.code === SpanStatusCode.ERROR && a.attributes["error.type"] === "server")).toBe(true);
  });

  it("an unknown model: a call span with the gateway's error code and no attempt span", async () => {
    const result = await gateway.execute(CompleteDocument, input("no-such-model"));
    expect(result.errors?.[0]?.extensions?.code).toBe("MODEL_NOT_FOUND");
    const { call, attempts } = callTree();
    expect(call.status.code).toBe(SpanStatusCode.ERROR);
    expect(call.attributes["error.type"]).toBe("MODEL_NOT_FOUND");
    expect(attempts).toEqual([]);
  });

  it("a streamed call: the span ends when the stream does, with the streamed usage", async () => {
    const results = await collect(gateway.wsClient(), CompletionStreamDocument, input("fast"));
    const last = results[results.length - 1]!.data!.completionStream;
    expect(last.done).toBe(true);
    const { call, attempts } = callTree();
    expect(call.attributes).toMatchObject({ "switchyard.streamed": true, "switchyard.call.id": last.callId, "gen_ai.usage.output_tokens": 12, "gen_ai.response.finish_reasons": ["stop"] });
    expect(attempts).toHaveLength(1);
  });
});
