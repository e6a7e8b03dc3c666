import { describe, expect, it } from "vitest";
import { loadConfig } from "../config/index.js";
import type { Database } from "../db/index.js";
import { callLogThreadUrl } from "./open-call-log.js";

const models = `
models:
  - name: fast
    deployments:
      - { id: a, provider: simulator, model: gpt-4o-mini }
`;
const url = "postgres://postgres@127.0.0.1:5432/x";
const opened = (kind: Database["kind"]) => ({ kind }) as Database;

describe("callLogThreadUrl", () => {
  it("writes the call log from a thread with Postgres unless database.callLog.thread is false", () => {
    expect(callLogThreadUrl(loadConfig({ text: models, env: { DATABASE_URL: url } }), opened("postgres"))).toBe(url);
    expect(callLogThreadUrl(loadConfig({ text: `database: { callLog: { thread: true } }\n${models}`, env: { DATABASE_URL: url } }), opened("postgres"))).toBe(url);
    expect(callLogThreadUrl(loadConfig({ text: `database: { callLog: { thread: false } }\n${models}`, env: { DATABASE_URL: url } }), opened("postgres"))).toBeUndefined();
  });

  it("keeps the embedded PGlite database on the main thread", () => {
    expect(callLogThreadUrl(loadConfig({ text: models, env: {} }), opened("pglite"))).toBeUndefined();
  });
});
