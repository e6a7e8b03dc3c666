import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import type { TelemetrySettings } from "../config/index.js";
import { createOtelTracing } from "./create-otel-tracing.js";
import type { Tracing } from "./tracing.js";

export interface TraceExport {
  tracing: Tracing;
  /** Sends the spans still batched and stops the exporter. */
  close(): Promise<void>;
}

/** OTLP/HTTP export in batches, configured only from the settings read in src/config. */
export function startTraceExport(settings: TelemetrySettings): TraceExport {
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
