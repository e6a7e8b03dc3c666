import { describe, expect, it } from "vitest";
import { loadConfig } from "./load-config.js";
import { configProblems } from "./testing/config-problems.js";

const models = `
models:
  - name: fast
    deployments:
      - { id: a, provider: simulator, model: gpt-4o-mini }
`;
const redis = `state: { redis: { url: "redis://127.0.0.1:6379" } }\n`;
const postgres = `database: { url: "postgres://postgres@127.0.0.1:5432/switchyard" }\n`;

const problemsOf = configProblems;

describe("server.workers", () => {
  it("is 1 by default, and takes a number or auto", () => {
    expect(loadConfig({ text: models }).server.workers).toBe(1);
    expect(loadConfig({ text: `server: { workers: 3 }\n${redis}${postgres}${models}` }).server.workers).toBe(3);
    expect(loadConfig({ text: `server: { workers: auto }\n${redis}${postgres}${models}` }).server.workers).toBe("auto");
    expect(problemsOf(`server: { workers: 0 }\n${models}`)).toEqual([expect.stringMatching(/^server\.workers: /)]);
    expect(problemsOf(`server: { workers: "many" }\n${models}`)).toEqual([expect.stringMatching(/^server\.workers: /)]);
  });

  it("above 1 (or auto) refuses in-memory state and the embedded database, both named, in one pass with the other problems", () => {
    const problems = problemsOf(`server: { workers: 2, headersTimeoutMs: 0 }\n${models}`);
    expect(problems).toEqual([
      expect.stringMatching(/^server\.headersTimeoutMs: /),
      expect.stringMatching(/^server\.workers: 2 worker processes need state\.redis\.url \(or SWITCHYARD_REDIS_URL\)/),
      expect.stringMatching(/^server\.workers: 2 worker processes need a Postgres database\.url \(or DATABASE_URL\): the embedded PGlite database .* one process only/),
    ]);
    expect(problemsOf(`server: { workers: auto }\n${postgres}${models}`)).toEqual([expect.stringMatching(/^server\.workers: "auto" .* need state\.redis\.url/)]);
    expect(problemsOf(`server: { workers: 2 }\n${redis}${models}`)).toEqual([expect.stringMatching(/^server\.workers: .* need a Postgres database\.url/)]);
  });

  it("counts DATABASE_URL and SWITCHYARD_REDIS_URL from the environment", () => {
    expect(problemsOf(`server: { workers: 2 }\n${models}`, { DATABASE_URL: "postgres://postgres@127.0.0.1:5432/x", SWITCHYARD_REDIS_URL: "redis://127.0.0.1:6379" })).toEqual([]);
    expect(problemsOf(`server: { workers: 1 }\n${models}`)).toEqual([]);
  });
});
