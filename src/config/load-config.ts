import { dirname, isAbsolute, resolve } from "node:path";
import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import { ConfigError } from "./config-error.js";
import type { Config } from "./config-schema.js";
import { REDIS_URL_PATTERN } from "./state-schema.js";
import { substituteEnv, type UnsetVariable } from "./substitute-env.js";
import { validateConfig } from "./validate-config.js";
import { checkCallLogThread } from "./check-call-log-thread.js";
import { checkWorkers } from "./check-workers.js";
import { bedrockCredentialsFromEnv } from "../providers/bedrock/bedrock-credentials-from-env.js";

export interface LoadConfigOptions {
  /** YAML text; read from `path` when absent. */
  text?: string;
  path?: string;
  env?: Record<string, string | undefined>;
}

/** Parses, substitutes `${ENV}`, validates and applies environment overrides. Throws ConfigError listing every problem. */
export function loadConfig(options: LoadConfigOptions): Config {
  const env = options.env ?? {};
  const source = options.path ?? "inline config";
  let text = options.text;
  if (text === undefined) {
    if (!options.path) throw new ConfigError(source, ["no config given (use --config PATH or SWITCHYARD_CONFIG)"]);
    try {
      text = readFileSync(options.path, "utf8");
    } catch (error) {
      throw new ConfigError(source, [`cannot read the file: ${(error as Error).message}`]);
    }
  }

  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    throw new ConfigError(
      source,
      document.errors.map((error) => `YAML ${error.linePos ? `line ${error.linePos[0].line}` : ""}: ${error.message.split("\n")[0]}`),
    );
  }
  const unset: UnsetVariable[] = [];
  const raw = substituteEnv(document.toJS() ?? {}, env, unset);
  // Bedrock deployments without their own credentials take the standard AWS variables.
  for (const group of asArray((raw as { models?: unknown }).models)) {
    for (const deployment of asArray((group as { deployments?: unknown } | null)?.deployments)) {
      const d = deployment as Record<string, unknown> | null;
      if (d && typeof d === "object" && d.provider === "bedrock" && !d.apiKey) Object.assign(d, bedrockCredentialsFromEnv(env, d as never));
    }
  }

  // Every problem at once: the shape's, the references', and the environment's.
  const { config, problems } = validateConfig(raw, unset);
  problems.push(...checkWorkers(raw, env), ...checkCallLogThread(raw, env));
  if (env.PORT !== undefined && env.PORT !== "") {
    const port = Number(env.PORT);
    if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`PORT: not a port number: "${env.PORT}"`);
    else if (config) config.server.port = port;
  }
  if (env.SWITCHYARD_REDIS_URL && !REDIS_URL_PATTERN.test(env.SWITCHYARD_REDIS_URL) && !config?.state.redis.url) {
    problems.push("SWITCHYARD_REDIS_URL: expected a redis:// or rediss:// URL");
  }
  if (problems.length > 0 || !config) throw new ConfigError(source, problems);

  // A router file or safelist manifest named relative to the config is found beside it, wherever the process was started.
  if (options.path) {
    const base = dirname(resolve(options.path));
    for (const group of config.models) {
      const policy = group.quality ?? group.cascade;
      if (policy?.router !== undefined && policy.router !== "builtin" && !isAbsolute(policy.router)) policy.router = resolve(base, policy.router);
    }
    const safelist = config.server.graphql.safelist;
    if (safelist && !isAbsolute(safelist.manifest)) safelist.manifest = resolve(base, safelist.manifest);
  }
  if (!config.database.url && env.DATABASE_URL) config.database.url = env.DATABASE_URL;
  if (!config.state.redis.url && env.SWITCHYARD_REDIS_URL) {
    // A fresh object: the parsed defaults may be shared between loads.
    config.state = { ...config.state, redis: { ...config.state.redis, url: env.SWITCHYARD_REDIS_URL } };
  }
  return config;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
