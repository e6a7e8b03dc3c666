/** Trace export as the standard OTEL_* variables ask for it; `undefined` = tracing off (the default). */
export interface TelemetrySettings {
  /** Where spans go over OTLP/HTTP (JSON bodies), e.g. `http://collector:4318/v1/traces`. */
  tracesUrl: string;
  /** OTEL_EXPORTER_OTLP_HEADERS / OTEL_EXPORTER_OTLP_TRACES_HEADERS (`key=value,…`). Never logged. */
  headers: Record<string, string>;
  /** OTEL_SERVICE_NAME, else `switchyard`. */
  serviceName: string;
  /** OTEL_RESOURCE_ATTRIBUTES (`key=value,…`). */
  resourceAttributes: Record<string, string>;
}

/** A telemetry variable that cannot be followed: the start stops and names it. */
export class TelemetrySettingsError extends Error {
  override name = "TelemetrySettingsError";
}

const DEFAULT_ENDPOINT = "http://localhost:4318";

/**
 * Reads the standard OpenTelemetry variables. Tracing is on when OTEL_TRACES_EXPORTER names `otlp`,
 * or when it is unset and an OTLP endpoint is given; OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none
 * turn it off. Only OTLP over HTTP is supported: another exporter or protocol (grpc) is refused by name.
 * The bodies are JSON; `http/protobuf` (the OTLP default) is accepted because every OTLP/HTTP receiver
 * takes both encodings on the same path.
 */
export function readTelemetrySettings(env: Record<string, string | undefined>): TelemetrySettings | undefined {
  const value = (name: string) => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  if (value("OTEL_SDK_DISABLED")?.toLowerCase() === "true") return undefined;
  const exporters = (value("OTEL_TRACES_EXPORTER") ?? "").split(",").map((e) => e.trim().toLowerCase()).filter(Boolean);
  const tracesEndpoint = value("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
  const endpoint = value("OTEL_EXPORTER_OTLP_ENDPOINT");
  if (exporters.includes("none")) return undefined;
  const unsupported = exporters.filter((e) => e !== "otlp");
  if (unsupported.length > 0) throw new TelemetrySettingsError(`OTEL_TRACES_EXPORTER: "${unsupported.join(",")}" is not supported (use otlp or none)`);
  if (exporters.length === 0 && !tracesEndpoint && !endpoint) return undefined;
  const protocol = value("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL") ?? value("OTEL_EXPORTER_OTLP_PROTOCOL");
  if (protocol && protocol !== "http/json" && protocol !== "http/protobuf") {
    throw new TelemetrySettingsError(`OTEL_EXPORTER_OTLP_PROTOCOL: "${protocol}" is not supported (Switchyard exports OTLP over HTTP: http/json)`);
  }
  // The signal-specific endpoint is used as is; the general one gets /v1/traces appended (the OTLP spec).
  const tracesUrl = tracesEndpoint ?? `${(endpoint ?? DEFAULT_ENDPOINT).replace(/\/+$/, "")}/v1/traces`;
  try {
    new URL(tracesUrl);
  } catch {
    throw new TelemetrySettingsError(`OTEL_EXPORTER_OTLP_${tracesEndpoint ? "TRACES_" : ""}ENDPOINT: "${tracesUrl}" is not a URL`);
  }
  return {
    tracesUrl,
    headers: { ...parsePairs(value("OTEL_EXPORTER_OTLP_HEADERS"), "OTEL_EXPORTER_OTLP_HEADERS"), ...parsePairs(value("OTEL_EXPORTER_OTLP_TRACES_HEADERS"), "OTEL_EXPORTER_OTLP_TRACES_HEADERS") },
    serviceName: value("OTEL_SERVICE_NAME") ?? "switchyard",
    resourceAttributes: parsePairs(value("OTEL_RESOURCE_ATTRIBUTES"), "OTEL_RESOURCE_ATTRIBUTES"),
  };
}

/** The W3C baggage-like list the OTEL_* variables use: `k1=v1,k2=v2`, values percent-encoded. */
function parsePairs(text: string | undefined, name: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  if (!text) return pairs;
  for (const item of text.split(",")) {
    if (!item.trim()) continue;
    const at = item.indexOf("=");
    const key = at > 0 ? item.slice(0, at).trim() : "";
    if (!key) throw new TelemetrySettingsError(`${name}: "${item.trim()}" is not key=value`);
    let decoded: string;
    try {
      decoded = decodeURIComponent(item.slice(at + 1).trim());
    } catch {
      throw new TelemetrySettingsError(`${name}: the value of "${key}" is not percent-encoded correctly`);
    }
    pairs[key] = decoded;
  }
  return pairs;
}
