import { describe, expect, it } from "vitest";
import { loadConfig } from "./load-config.js";
import { configProblems } from "./testing/config-problems.js";

const minimal = `
models:
  - name: fast
    deployments:
      - id: a
        provider: simulator
        model: gpt-4o-mini
`;

const problemsOf = configProblems;

describe("loadConfig", () => {
  it("fills defaults", () => {
    const config = loadConfig({ text: minimal });
    expect(config.server.port).toBe(4000);
    expect(config.router.retries).toBe(2);
    expect(config.router.cooldown.failures).toBe(3);
    expect(config.models[0]!.strategy).toBe("weighted");
    expect(config.models[0]!.deployments[0]!.weight).toBe(1);
    expect(config.database.url).toBeUndefined();
  });

  it("takes a call retention in whole days, at least one", () => {
    expect(loadConfig({ text: `database: { callRetentionDays: 30 }\n${minimal}` }).database.callRetentionDays).toBe(30);
    expect(loadConfig({ text: minimal }).database.callRetentionDays).toBeUndefined();
    expect(problemsOf(`database: { callRetentionDays: 0 }\n${minimal}`)).toEqual([expect.stringMatching(/^database\.callRetentionDays: .*at least 1/)]);
    expect(problemsOf(`database: { callRetentionDays: 1.5 }\n${minimal}`)).toEqual([expect.stringMatching(/^database\.callRetentionDays: /)]);
  });

  it("takes a read replica's postgres:// URL in database.readUrl", () => {
    expect(loadConfig({ text: `database: { url: "postgres://p/db", readUrl: "postgresql://r:5433/db" }\n${minimal}` }).database.readUrl).toBe("postgresql://r:5433/db");
    expect(loadConfig({ text: minimal }).database.readUrl).toBeUndefined();
    expect(problemsOf(`database: { readUrl: "mysql://r/db" }\n${minimal}`)).toEqual(["database.readUrl: expected a postgres:// or postgresql:// URL"]);
    expect(problemsOf(`database: { readUrl: "replica:5432" }\n${minimal}`)).toEqual(["database.readUrl: expected a postgres:// or postgresql:// URL"]);
  });

  it("takes the GraphQL limits from server.graphql, each defaulted on its own", () => {
    expect(loadConfig({ text: minimal }).server.graphql).toEqual({
      maxDepth: 12,
      maxComplexity: 10_000,
      maxDocumentBytes: 65_536,
      maxTokens: 10_000,
      maxOperationsPerSocket: 100,
    });
    const limits = loadConfig({ text: `server: { graphql: { maxOperationsPerSocket: 5, maxDocumentBytes: 1024 } }\n${minimal}` }).server.graphql;
    expect(limits).toMatchObject({ maxOperationsPerSocket: 5, maxDocumentBytes: 1024, maxDepth: 12, maxTokens: 10_000 });
    expect(problemsOf(`server: { graphql: { maxTokens: 0 } }\n${minimal}`)).toEqual([expect.stringMatching(/^server\.graphql\.maxTokens: /)]);
  });

  it("takes the connection pool per router and per deployment", () => {
    const defaults = loadConfig({ text: minimal });
    // Absent: the HTTP client's default for the protocol (8192 over HTTP/1.1, 82 over HTTP/2).
    expect([defaults.router.connections, defaults.router.http2]).toEqual([undefined, false]);
    expect(defaults.models[0]!.deployments[0]!.connections).toBeUndefined();
    const set = loadConfig({ text: `router: { connections: 64, http2: true }\n${minimal.replace("model: gpt-4o-mini", "model: gpt-4o-mini\n        connections: 2\n        http2: false")}` });
    expect([set.router.connections, set.router.http2]).toEqual([64, true]);
    expect([set.models[0]!.deployments[0]!.connections, set.models[0]!.deployments[0]!.http2]).toEqual([2, false]);
    expect(problemsOf(`router: { connections: 0 }\n${minimal}`)).toEqual([expect.stringContaining("router.connections")]);
  });

  it("lists every problem by its path", () => {
    const problems = problemsOf(`
models:
  - name: fast
    deployments:
      - id: a
        provider: simulator
        model: m
  - name: smart
    fallbacks: [nowhere]
    deployments:
      - id: b
        provider: opneai
        model: gpt-4o
        weight: -1
`);
    expect(problems).toContain('models[1].deployments[0].provider: unknown provider "opneai" (expected one of: openai, azure, anthropic, gemini, bedrock, ollama, openai-compatible, simulator)');
    expect(problems.some((p) => p.startsWith("models[1].deployments[0].weight:"))).toBe(true);
  });

  it("reports references after the shape is valid", () => {
    const problems = problemsOf(`
models:
  - name: fast
    aliases: [smart]
    fallbacks: [nowhere]
    deployments:
      - { id: a, provider: simulator, model: m }
      - { id: a, provider: openai, model: m }
  - name: smart
    deployments:
      - { id: b, provider: simulator, model: m }
`);
    expect(problems).toEqual(
      expect.arrayContaining([
        'models[1].name: "smart" is already used at models[0].aliases[0]',
        'models[0].deployments[1].id: "a" is already used at models[0].deployments[0].id',
        'models[0].deployments[1].apiKey: provider "openai" needs an apiKey',
        'models[0].fallbacks[0]: unknown model group "nowhere"',
      ]),
    );
  });

  it("reports every problem in one pass: the shape's, the references' and the environment's, an unset variable named with its path", () => {
    const problems = problemsOf(
      `
models:
  - name: fast
    strategy: fastest
    fallbacks: [nowhere]
    deployments:
      - { id: a, provider: opnai, model: m, apiKey: "\${TYPO_KEY}" }
      - { id: b, provider: anthropic, model: m, apiKey: "\${ANTHROPIC_API_KEY}" }
      - { id: b, provider: simulator, model: m }
`,
      { PORT: "http" },
    );
    expect(problems).toEqual([
      expect.stringMatching(/^models\[0\]\.strategy: /),
      expect.stringMatching(/^models\[0\]\.deployments\[0\]\.provider: unknown provider "opnai"/),
      'models[0].deployments[1].apiKey: provider "anthropic" needs an apiKey (${ANTHROPIC_API_KEY} is not set in the environment)',
      'models[0].deployments[2].id: "b" is already used at models[0].deployments[1].id',
      'models[0].fallbacks[0]: unknown model group "nowhere"',
      'PORT: not a port number: "http"',
    ]);
  });

  it("names an unset variable on a field whose shape is wrong without it", () => {
    expect(problemsOf(`server: { port: "\${SY_PORT}x" }\n${minimal}`)).toEqual([
      expect.stringMatching(/^server\.port: .*\(\$\{SY_PORT\} is not set in the environment\)$/),
    ]);
    // Set, the same config has no problem.
    expect(problemsOf(`database: { url: "\${DB}" }\n${minimal}`, {})).toEqual([]);
  });

  it("rejects unknown keys and bad YAML", () => {
    expect(problemsOf(minimal + "\nbogus: 1\n")[0]).toMatch(/^\(root\): Unrecognized key/);
    expect(problemsOf("models: [\n")[0]).toMatch(/^YAML line/);
  });

  it("substitutes ${ENV}, with defaults, and drops unset whole values", () => {
    const config = loadConfig({
      text: `
database:
  url: \${DATABASE_URL}
models:
  - name: fast
    deployments:
      - id: a
        provider: openai
        model: gpt-4o-mini
        apiKey: \${OPENAI_API_KEY}
        baseUrl: \${OPENAI_BASE:-https://api.openai.com/v1}
`,
      env: { OPENAI_API_KEY: "sk-test" },
    });
    expect(config.database.url).toBeUndefined();
    expect(config.models[0]!.deployments[0]!.apiKey).toBe("sk-test");
    expect(config.models[0]!.deployments[0]!.baseUrl).toBe("https://api.openai.com/v1");
  });

  it("takes PORT and DATABASE_URL from the environment", () => {
    const config = loadConfig({ text: minimal, env: { PORT: "4100", DATABASE_URL: "postgres://x@localhost/db" } });
    expect(config.server.port).toBe(4100);
    expect(config.database.url).toBe("postgres://x@localhost/db");
    expect(problemsOf(minimal, { PORT: "abc" })).toEqual(['PORT: not a port number: "abc"']);
  });

  it("takes the Redis state store from state.redis or SWITCHYARD_REDIS_URL", () => {
    expect(loadConfig({ text: minimal }).state.redis).toEqual({ keyPrefix: "switchyard:", leaseTtlMs: 900_000 });
    const withState = `${minimal}state:\n  redis:\n    url: \${REDIS_URL}\n    keyPrefix: "gw1:"\n`;
    expect(loadConfig({ text: withState, env: { REDIS_URL: "redis://r:6379" } }).state.redis).toEqual({ url: "redis://r:6379", keyPrefix: "gw1:", leaseTtlMs: 900_000 });
    expect(loadConfig({ text: withState, env: {} }).state.redis.url).toBeUndefined();
    expect(loadConfig({ text: minimal, env: { SWITCHYARD_REDIS_URL: "rediss://r:6380" } }).state.redis.url).toBe("rediss://r:6380");
    expect(problemsOf(`${minimal}state:\n  redis:\n    url: http://r\n`)).toEqual(["state.redis.url: expected a redis:// or rediss:// URL"]);
    expect(problemsOf(minimal, { SWITCHYARD_REDIS_URL: "localhost:6379" })).toEqual(["SWITCHYARD_REDIS_URL: expected a redis:// or rediss:// URL"]);
  });

  it("names a missing file", () => {
    expect(() => loadConfig({ path: "/nonexistent/switchyard.yaml" })).toThrow(/cannot read the file/);
  });

  it("loads the shipped demo config", () => {
    const config = loadConfig({ path: new URL("../../config/switchyard.yaml", import.meta.url).pathname, env: {} });
    expect(config.models.map((g) => g.name)).toEqual(["fast", "smart", "local", "auto", "careful", "embed", "embed-local"]);
  });
});
