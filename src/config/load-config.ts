import { dirname, isAbsolute, resolve } from "node:path";
import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import { checkConfigReferences } from "./check-config-references.js";
import { ConfigError, formatPath } from "./config-error.js";
import { configSchema, REDIS_URL_PATTERN, type Config } from "./config-schema.js";
import { substituteEnv } from "./substitute-env.js";
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
  const raw = substituteEnv(document.toJS() ?? {}, env);

  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      source,
      parsed.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`),
    );
  }
  const config = parsed.data;
  // Bedrock deployments without their own credentials take the standard AWS variables.
  for (const group of config.models) {
    for (const deployment of group.deployments) {
      if (deployment.provider === "bedrock" && !deployment.apiKey) Object.assign(deployment, bedrockCredentialsFromEnv(env, deployment));
    }
  }
  // A router file named relative to the config is found beside it, wherever the process was started.
  if (options.path) {
    const base = dirname(resolve(options.path));
    for (const group of config.models) {
      const policy = group.quality ?? group.cascade;
      if (policy?.router !== undefined && policy.router !== "builtin" && !isAbsolute(policy.router)) policy.router = resolve(base, policy.router);
    }
  }
  const problems = checkConfigReferences(config);
  if (problems.length > 0) throw new ConfigError(source, problems);

  if (env.PORT !== undefined && env.PORT !== "") {
    const port = Number(env.PORT);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError("PORT", [`PORT: not a port number: "${env.PORT}"`]);
    config.server.port = port;
  }
  if (!config.database.url && env.DATABASE_URL) config.database.url = env.DATABASE_URL;
  if (!config.state.redis.url && env.SWITCHYARD_REDIS_URL) {
    if (!REDIS_URL_PATTERN.test(env.SWITCHYARD_REDIS_URL)) {
      throw new ConfigError("SWITCHYARD_REDIS_URL", ["SWITCHYARD_REDIS_URL: expected a redis:// or rediss:// URL"]);
    }
    // A fresh object: the parsed defaults may be shared between loads.
    config.state = { ...config.state, redis: { ...config.state.redis, url: env.SWITCHYARD_REDIS_URL } };
  }
  return config;
}
