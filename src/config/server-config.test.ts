import { describe, expect, it } from "vitest";
import { DEFAULT_GRAPHQL_LIMITS } from "../server/graphql-limits.js";
import { loadConfig } from "./load-config.js";
import { configProblems } from "./testing/config-problems.js";

const models = `
models:
  - name: fast
    deployments:
      - { id: a, provider: simulator, model: gpt-4o-mini }
`;

const problemsOf = (text: string): string[] => configProblems(text);

describe("server config", () => {
  it("defaults to loopback, bounded deadlines and a connection cap", () => {
    expect(loadConfig({ text: models }).server).toEqual({
      port: 4000,
      host: "127.0.0.1",
      maxBodyBytes: 16 * 1024 * 1024,
      allowOpenModeOnNetwork: false,
      headersTimeoutMs: 15_000,
      requestTimeoutMs: 60_000,
      keepAliveTimeoutMs: 65_000,
      maxConnections: 10_000,
      shutdownGraceMs: 10_000,
      workers: 1,
      heapGrowthPercent: 30,
      graphql: DEFAULT_GRAPHQL_LIMITS,
    });
  });

  it("takes allowed origins as bare origins only", () => {
    expect(loadConfig({ text: `server: { allowedOrigins: ["https://app.example.com", "http://localhost:5173"] }\n${models}` }).server.allowedOrigins).toEqual([
      "https://app.example.com",
      "http://localhost:5173",
    ]);
    expect(problemsOf(`server: { allowedOrigins: ["https://app.example.com/path", "*", "app.example.com"] }\n${models}`)).toEqual([
      expect.stringMatching(/^server\.allowedOrigins\[0\]: expected an origin/),
      expect.stringMatching(/^server\.allowedOrigins\[1\]: expected an origin/),
      expect.stringMatching(/^server\.allowedOrigins\[2\]: expected an origin/),
    ]);
  });

  it("refuses a headers deadline longer than the request deadline, and zero deadlines", () => {
    expect(problemsOf(`server: { headersTimeoutMs: 30000, requestTimeoutMs: 20000 }\n${models}`)).toEqual([
      expect.stringMatching(/^server\.headersTimeoutMs: .*requestTimeoutMs/),
    ]);
    expect(problemsOf(`server: { headersTimeoutMs: 0 }\n${models}`)).toEqual([expect.stringMatching(/^server\.headersTimeoutMs: /)]);
    expect(problemsOf(`server: { allowOpenModeOnNetwork: "yes" }\n${models}`)).toEqual([expect.stringMatching(/^server\.allowOpenModeOnNetwork: /)]);
  });
});
