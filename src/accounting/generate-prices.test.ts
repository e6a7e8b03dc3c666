import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCatalogJson } from "./catalog-entry.js";

const run = promisify(execFile);
const script = fileURLToPath(new URL("../../scripts/generate-prices.mjs", import.meta.url));

// Written as JSON text so the literals are exactly what LiteLLM's file holds.
const SOURCE = `{
  "sample_spec": { "mode": "chat", "input_cost_per_token": 0, "output_cost_per_token": 0 },
  "zeta-model": { "litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 7.5e-08,
    "output_cost_per_token": 1.5e-07, "cache_read_input_token_cost": 0.0000003, "cache_creation_input_token_cost": 2.5e-06,
    "output_cost_per_reasoning_token": 1e-05, "max_input_tokens": 128000, "max_output_tokens": 16384,
    "supports_function_calling": true, "supports_vision": true, "supports_response_schema": true,
    "supports_prompt_caching": true, "supports_system_messages": true },
  "azure/alpha": { "litellm_provider": "azure", "mode": "chat", "input_cost_per_token": 0.000015000020000000002,
    "output_cost_per_token": 4.6875e-09, "supports_vision": false, "max_tokens": 4096 },
  "beta-completion": { "litellm_provider": "text-completion-openai", "mode": "completion",
    "input_cost_per_token": 0.000002, "output_cost_per_token": 0.000002 },
  "gamma-responses": { "litellm_provider": "openai", "mode": "responses", "input_cost_per_token": 1.5e-7,
    "output_cost_per_token": 6e-7, "supports_function_calling": true },
  "delta-chat-unpriced": { "litellm_provider": "bedrock", "mode": "chat", "output_cost_per_token": 0.0000075 },
  "embed-model": { "litellm_provider": "openai", "mode": "embedding", "input_cost_per_token": 1e-7, "output_cost_per_token": 0 },
  "free-local": { "litellm_provider": "ollama", "mode": "chat", "input_cost_per_token": 0, "output_cost_per_token": 0 }
}`;

describe("scripts/generate-prices.mjs", () => {
  let dir: string;
  let outPath: string;
  let stdout: string;
  let text: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "switchyard-prices-"));
    const sourcePath = join(dir, "source.json");
    outPath = join(dir, "out.json");
    writeFileSync(sourcePath, SOURCE);
    ({ stdout } = await run(process.execPath, [script, sourcePath, outPath]));
    text = readFileSync(outPath, "utf8");
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps priced chat, completion, responses and embedding entries, sorted, one per line after the note", () => {
    const lines = text.trimEnd().split("\n");
    expect(lines[0]).toBe("{");
    expect(lines[1]).toMatch(/^"_source":/);
    expect(lines.slice(2, -1).map((line) => JSON.parse(`{${line.replace(/,$/, "")}}`)).map((o) => Object.keys(o)[0])).toEqual([
      "azure/alpha",
      "beta-completion",
      "embed-model",
      "free-local",
      "gamma-responses",
      "zeta-model",
    ]);
    expect(lines.at(-1)).toBe("}");
  });

  it("converts prices to exact integer pico-USD per token", () => {
    const json = JSON.parse(text) as Record<string, unknown>;
    expect(json["zeta-model"]).toEqual({
      p: "openai",
      i: 75000,
      o: 150000,
      cr: 300000,
      cw: 2500000,
      r: 10000000,
      ctx: 128000,
      out: 16384,
      cap: "tvjcs",
    });
    expect(json["gamma-responses"]).toEqual({ p: "openai", i: 150000, o: 600000, cap: "t" });
    expect(json["free-local"]).toEqual({ p: "ollama", i: 0, o: 0 });
    // Embedding models are marked, so routing keeps chat away from them and embeddings on them.
    expect(json["embed-model"]).toEqual({ p: "openai", m: "e", i: 100000, o: 0 });
  });

  it("rounds sub-pico prices half-up and counts them", () => {
    const json = JSON.parse(text) as Record<string, unknown>;
    // 15000020.000000002 → 15000020; 4687.5 → 4688; supports_vision: false is an upper-case letter
    expect(json["azure/alpha"]).toEqual({ p: "azure", i: 15000020, o: 4688, cap: "V" });
    expect(stdout).toMatch(/wrote 6 models/);
    expect(stdout).toMatch(/skipped 1 chat\/completion entries without token prices/);
    expect(stdout).toMatch(/rounded 2 sub-pico prices/);
  });

  it("notes the source, the counts and LiteLLM's licence", () => {
    const note = (JSON.parse(text) as { _source: Record<string, unknown> })._source;
    expect(note.file).toBe("source.json");
    expect(note.entries).toBe(6);
    expect(note.sourceEntries).toBe(7);
    expect(String(note.licence)).toMatch(/LiteLLM.*MIT/);
  });

  it("regenerates byte for byte", async () => {
    const again = join(dir, "again.json");
    await run(process.execPath, [script, join(dir, "source.json"), again]);
    expect(readFileSync(again, "utf8")).toBe(text);
  });

  it("produces a file the catalog loader reads", () => {
    const prices = parseCatalogJson(JSON.parse(text));
    expect(Object.keys(prices)).toHaveLength(6);
    expect(prices["embed-model"]!.mode).toBe("embedding");
    expect(prices["free-local"]!.mode).toBe("chat");
    // Said no: false; not said: unknown (undefined), which routing tries.
    expect(prices["azure/alpha"]!.capabilities).toEqual({ vision: false });
    expect(prices["zeta-model"]?.cacheReadPico).toBe(300000n);
    expect(prices["zeta-model"]?.capabilities).toEqual({
      tools: true,
      vision: true,
      jsonSchema: true,
      promptCaching: true,
      systemMessages: true,
    });
  });

  it("fails loudly on a negative price", async () => {
    const bad = join(dir, "bad.json");
    writeFileSync(bad, `{"m": {"mode": "chat", "input_cost_per_token": -1e-7, "output_cost_per_token": 0}}`);
    await expect(run(process.execPath, [script, bad, join(dir, "bad-out.json")])).rejects.toThrow(/m\.input_cost_per_token/);
  });
});
