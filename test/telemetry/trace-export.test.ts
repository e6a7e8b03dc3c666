import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { startTraceExport } from "../../src/telemetry/index.js";
import { makeAttempt, makeCallRecord } from "../db/make-call-record.js";

interface OtlpBody {
  resourceSpans: Array<{
    resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> };
    scopeSpans: Array<{ spans: Array<{ name: string; spanId: string; traceId: string; parentSpanId?: string; attributes: Array<{ key: string; value: { stringValue?: string } }> }> }>;
  }>;
}

const servers: Array<{ close(): void }> = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

/** A stand-in OTLP collector: keeps every request it receives. */
async function startCollector() {
  const received: Array<{ url: string; headers: IncomingHttpHeaders; body: Buffer }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ url: req.url!, headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

describe("startTraceExport", () => {
  it("sends the spans over OTLP/HTTP to the configured URL with the configured headers, at close at the latest", async () => {
    const collector = await startCollector();
    const exported = await startTraceExport({ tracesUrl: `${collector.url}/v1/traces`, headers: { "x-collector-token": "t0k" }, serviceName: "switchyard-test", resourceAttributes: { "deployment.environment": "test" } });
    const record = makeCallRecord({ attempts: [makeAttempt({ index: 0, outcome: "ERROR", errorKind: "server", httpStatus: 500 }), makeAttempt({ index: 1 })], attemptCount: 2 });
    exported.tracing.startCall({ request: { model: "fast", messages: [{ role: "user", content: "hi" }] }, streamed: false })!.end(record);
    await exported.close();

    expect(collector.received).toHaveLength(1);
    const [request] = collector.received;
    expect(request!.url).toBe("/v1/traces");
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(request!.headers["x-collector-token"]).toBe("t0k");
    const body = JSON.parse(request!.body.toString("utf8")) as OtlpBody;
    const [resourceSpans] = body.resourceSpans;
    const resource = Object.fromEntries(resourceSpans!.resource.attributes.map((a) => [a.key, a.value.stringValue]));
    expect(resource).toMatchObject({ "service.name": "switchyard-test", "deployment.environment": "test" });
    const spans = resourceSpans!.scopeSpans.flatMap((s) => s.spans);
    expect(spans.map((s) => s.name).sort()).toEqual(["chat fast", "chat gpt-4o-mini", "chat gpt-4o-mini"]);
    const call = spans.find((s) => s.name === "chat fast")!;
    expect(spans.filter((s) => s !== call).every((s) => s.parentSpanId === call.spanId && s.traceId === call.traceId)).toBe(true);
    expect(call.attributes.find((a) => a.key === "switchyard.call.id")?.value.stringValue).toBe(record.id);
  });
});
