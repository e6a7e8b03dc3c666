import { describe, expect, it } from "vitest";
import { readRuntimeSettings } from "./read-runtime-settings.js";
import { readTelemetrySettings, TelemetrySettingsError } from "./read-telemetry-settings.js";

describe("readTelemetrySettings (the OTEL_* variables)", () => {
  it("is off without any OTEL_* variable, and through the runtime settings too", () => {
    expect(readTelemetrySettings({})).toBeUndefined();
    expect(readRuntimeSettings([], {}).telemetry).toBeUndefined();
  });

  it("OTEL_TRACES_EXPORTER=otlp turns it on with the OTLP default endpoint and service name", () => {
    expect(readTelemetrySettings({ OTEL_TRACES_EXPORTER: "otlp" })).toEqual({
      tracesUrl: "http://localhost:4318/v1/traces",
      headers: {},
      serviceName: "switchyard",
      resourceAttributes: {},
    });
  });

  it("an endpoint alone turns it on; the general endpoint gets /v1/traces, the traces endpoint is used as is", () => {
    expect(readTelemetrySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/" })?.tracesUrl).toBe("http://collector:4318/v1/traces");
    expect(
      readTelemetrySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318", OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "https://traces.example/custom" })?.tracesUrl,
    ).toBe("https://traces.example/custom");
  });

  it("reads headers, service name and resource attributes (percent-decoded; traces headers win)", () => {
    const settings = readRuntimeSettings([], {
      OTEL_TRACES_EXPORTER: "otlp",
      OTEL_EXPORTER_OTLP_HEADERS: "authorization=Basic%20abc,x-team=a",
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: "x-team=b",
      OTEL_SERVICE_NAME: "gateway-eu",
      OTEL_RESOURCE_ATTRIBUTES: "deployment.environment=prod, service.namespace=llm",
    }).telemetry;
    expect(settings).toEqual({
      tracesUrl: "http://localhost:4318/v1/traces",
      headers: { authorization: "Basic abc", "x-team": "b" },
      serviceName: "gateway-eu",
      resourceAttributes: { "deployment.environment": "prod", "service.namespace": "llm" },
    });
  });

  it("OTEL_SDK_DISABLED=true and OTEL_TRACES_EXPORTER=none keep it off whatever else is set", () => {
    expect(readTelemetrySettings({ OTEL_SDK_DISABLED: "true", OTEL_TRACES_EXPORTER: "otlp" })).toBeUndefined();
    expect(readTelemetrySettings({ OTEL_TRACES_EXPORTER: "none", OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" })).toBeUndefined();
  });

  it("refuses what it cannot follow, naming the variable", () => {
    expect(() => readTelemetrySettings({ OTEL_TRACES_EXPORTER: "zipkin" })).toThrow(/OTEL_TRACES_EXPORTER: "zipkin" is not supported/);
    expect(() => readTelemetrySettings({ OTEL_TRACES_EXPORTER: "otlp", OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" })).toThrow(/OTEL_EXPORTER_OTLP_PROTOCOL: "grpc"/);
    expect(readTelemetrySettings({ OTEL_TRACES_EXPORTER: "otlp", OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" })).toBeDefined();
    expect(() => readTelemetrySettings({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "not a url" })).toThrow(/OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "not a url" is not a URL/);
    expect(() => readTelemetrySettings({ OTEL_TRACES_EXPORTER: "otlp", OTEL_EXPORTER_OTLP_HEADERS: "novalue" })).toThrow(TelemetrySettingsError);
  });
});
