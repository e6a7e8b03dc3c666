import { parseArgs } from "node:util";
import { readTelemetrySettings, type TelemetrySettings } from "./read-telemetry-settings.js";

/** Everything the process takes from its command line and environment; the one place that reads process.env. */
export interface RuntimeSettings {
  configPath: string;
  env: Record<string, string | undefined>;
  /** SWITCHYARD_MASTER_KEY: the admin credential; absent = open dev mode. Never logged. */
  masterKey?: string;
  /** Trace export from the standard OTEL_* variables; absent = tracing off. */
  telemetry?: TelemetrySettings;
}

export function readRuntimeSettings(argv: string[] = process.argv.slice(2), env = process.env): RuntimeSettings {
  const { values } = parseArgs({ args: argv, options: { config: { type: "string", short: "c" } }, allowPositionals: false });
  const masterKey = env.SWITCHYARD_MASTER_KEY?.trim();
  const telemetry = readTelemetrySettings(env);
  return {
    configPath: values.config ?? env.SWITCHYARD_CONFIG ?? "config/switchyard.yaml",
    env: { ...env },
    ...(masterKey ? { masterKey } : {}),
    ...(telemetry ? { telemetry } : {}),
  };
}
