import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { z } from "zod";
import { createSimulator, type Simulator } from "./create-simulator.js";
import { simulatorProfilesSchema } from "./simulator-profile-schema.js";
import type { SimulatorProfile } from "./simulator-profile.js";

/**
 * Parses `--port 0 [--host 127.0.0.1] [--seed 1] [--profiles file.json] [--api-key KEY] [--http2]`
 * and returns a listening simulator. The profiles file maps names to profiles; the name
 * "default" is the profile of the unprefixed routes; `--http2` serves h2c instead of HTTP/1.1. Throws on bad flags or a bad file.
 */
export async function startSimulatorFromArgs(args: readonly string[]): Promise<Simulator> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      port: { type: "string", default: "0" },
      host: { type: "string", default: "127.0.0.1" },
      seed: { type: "string", default: "0" },
      profiles: { type: "string" },
      "api-key": { type: "string" },
      http2: { type: "boolean", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const port = parseInteger("--port", values.port);
  const seed = parseInteger("--seed", values.seed);
  const profiles = values.profiles === undefined ? {} : await loadProfiles(values.profiles);
  const { default: defaultProfile, ...named } = profiles;
  const simulator = createSimulator({ seed, profiles: named, defaultProfile, apiKey: values["api-key"], http2: values.http2 });
  await simulator.listen(port, values.host);
  return simulator;
}

function parseInteger(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isInteger(value)) throw new Error(`${flag} must be an integer, got "${text}"`);
  return value;
}

async function loadProfiles(file: string): Promise<Record<string, SimulatorProfile>> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new Error(`cannot read profiles file ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = simulatorProfilesSchema.safeParse(json);
  if (!parsed.success) throw new Error(`invalid profiles file ${file}:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
