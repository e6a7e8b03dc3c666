import { readFileSync } from "node:fs";
import { ConfigError } from "../config/index.js";
import { parseSafelistManifest, type Safelist } from "../server/safelist.js";

/** The manifest of `server.graphql.safelist`, read at start: a missing or bad file stops the start, naming that config path. */
export function readSafelist(manifestPath: string): Safelist {
  let text: string;
  try {
    text = readFileSync(manifestPath, "utf8");
  } catch (error) {
    throw new ConfigError("config", [`server.graphql.safelist.manifest: cannot read ${manifestPath} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`]);
  }
  try {
    return parseSafelistManifest(text);
  } catch (error) {
    throw new ConfigError("config", [`server.graphql.safelist.manifest: ${manifestPath} is not an Apollo persisted query manifest: ${(error as Error).message}`]);
  }
}
