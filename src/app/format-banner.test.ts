import { describe, expect, it } from "vitest";
import { loadConfig } from "../config/index.js";
import { V1_DOORS } from "../server/v1-doors.js";
import { formatBanner } from "./format-banner.js";

const CONFIG = `
models:
  - name: fast
    aliases: [mini]
    retries: 0
    deployments:
      - { id: sim-fast, provider: simulator, model: gpt-4o-mini, simulate: { outputTokens: 5 } }
`;

describe("formatBanner", () => {
  const config = loadConfig({ text: CONFIG, env: {} });
  const open = formatBanner({ config, url: "http://127.0.0.1:4000", listening: "127.0.0.1:4000", masterKey: false, configPath: "config/switchyard.yaml" });

  it("names where it listens, the groups and their deployments, /v1, the playground, the dashboard and the auth mode", () => {
    expect(open).toContain("Switchyard on http://127.0.0.1:4000");
    expect(open).toContain("listening on 127.0.0.1:4000 (this address only)");
    expect(open).toMatch(/fast \(mini\)\s+weighted: sim-fast \(simulator\/gpt-4o-mini, simulated\)/);
    expect(open).toContain("http://127.0.0.1:4000/graphql");
    expect(open).toContain("http://127.0.0.1:4000/dashboard");
    expect(open).toContain("OPEN DEV MODE");
    const locked = formatBanner({ config, url: "http://127.0.0.1:4000", listening: "0.0.0.0:4000", masterKey: true, configPath: "x.yaml" });
    expect(locked).toContain("every network interface");
    expect(locked).toContain("master key required");
  });

  it("names every door under /v1: chat completions, responses, embeddings, models, messages and count_tokens", () => {
    expect(open).toContain("  OpenAI-compatible       http://127.0.0.1:4000/v1  (POST /chat/completions, /responses, /embeddings; GET /models)\n");
    expect(open).toContain("  Anthropic-compatible    http://127.0.0.1:4000/v1  (POST /messages, /messages/count_tokens)\n");
    // A door added to V1_DOORS shows up without touching the banner.
    for (const door of Object.values(V1_DOORS)) expect(open).toMatch(new RegExp(`${door.method} [^)]*${door.path.slice("/v1".length)}[,;)]`));
  });
});
