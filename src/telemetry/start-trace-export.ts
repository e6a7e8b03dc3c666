import type { TelemetrySettings } from "../config/index.js";
import { createOtelTracing } from "./create-otel-tracing.js";
import type { Tracing } from "./tracing.js";

export interface TraceExport {
  tracing: Tracing;
  /** Sends the spans still batched and stops the exporter. */
  close(): Promise<void>;
}

/**
 * OTLP/HTTP export in batches, configured only from the settings read in src/config. The OpenTelemetry SDK
 * and exporter are loaded here, only when traces are turned on: with tracing off the start does not pay for them.
 */
export async function startTraceExport(settings: TelemetrySettings): Promise<TraceExport> {
  const [{ resourceFromAttributes }, { BasicTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }] = await Promise.all([
    import("@opentelemetry/resources"),
    import("@opentelemetry/sdk-trace-base"),
    import("@opentelemetry/exporter-trace-otlp-http"),
  ]);
  const exporter = new OTLPTraceExporter({ url: settings.tracesUrl, headers: settings.headers });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      ...settings.resourceAttributes,
      "service.name": settings.serviceName,
    }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  return {
    tracing: createOtelTracing(provider.getTracer("switchyard")),
    close: () => provider.shutdown(),
  };
}
