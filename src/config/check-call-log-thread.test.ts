import { describe, expect, it } from "vitest";
import { loadConfig } from "./load-config.js";
import { configProblems } from "./testing/config-problems.js";

const models = `
models:
  - name: fast
    deployments:
      - { id: a, provider: simulator, model: gpt-4o-mini }
`;

describe("database.callLog.thread", () => {
  it("is refused as true with the embedded PGlite database, and accepted with Postgres", () => {
    expect(configProblems(`database: { callLog: { thread: true } }\n${models}`)).toEqual([
      expect.stringMatching(/^database\.callLog\.thread: true needs a Postgres database\.url \(or DATABASE_URL\)/),
    ]);
    expect(configProblems(`database: { url: "postgres://postgres@127.0.0.1:5432/x", callLog: { thread: true } }\n${models}`)).toEqual([]);
    expect(configProblems(`database: { callLog: { thread: true } }\n${models}`, { DATABASE_URL: "postgres://postgres@127.0.0.1:5432/x" })).toEqual([]);
    expect(configProblems(`database: { callLog: { thread: false } }\n${models}`)).toEqual([]);
  });

  it("is absent by default (on with Postgres, off with PGlite: see openCallLog)", () => {
    expect(loadConfig({ text: models, env: {} }).database.callLog.thread).toBeUndefined();
  });
});
