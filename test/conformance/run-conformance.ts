/**
 * Runs every cell of the conformance matrix (door × provider × feature, and the embeddings table's
 * door × provider) against one gateway and one set of upstreams, and says of each cell what really
 * happened: supported, unsupported, or failing.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { chatDoor } from "./chat-door.js";
import { embeddingGroup, MASTER_KEY, reasoningGroup, startConformanceGateway, type ConformanceGateway } from "./conformance-gateway.js";
import {
  CheckFailed,
  DOORS,
  EMBEDDING_DOORS,
  FEATURES,
  PROVIDERS,
  type CellResult,
  type CheckOutcome,
  type ConformanceResults,
  type Door,
  type EmbeddingCellResult,
  type Provider,
  type Verdict,
} from "./conformance-types.js";
import { DoorRefusal, firstLine, type DoorClient } from "./door-client.js";
import { checkEmbeddings } from "./embedding-checks.js";
import { FEATURE_CHECKS } from "./feature-checks.js";
import { graphqlDoor } from "./graphql-door.js";
import { messagesDoor } from "./messages-door.js";
import { responsesDoor } from "./responses-door.js";

const CELL_TIMEOUT_MS = 20_000;

/** Runs one cell's check and turns what happened into its verdict. */
async function runCheck(conformance: ConformanceGateway, provider: Provider, check: () => Promise<CheckOutcome>): Promise<{ verdict: Verdict; note?: string }> {
  const groups = [provider, reasoningGroup(provider), embeddingGroup(provider)];
  const reached = () => groups.reduce((sum, group) => sum + conformance.upstream.exchangesOf(group).length, 0);
  const before = reached();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckFailed(`no outcome within ${CELL_TIMEOUT_MS / 1000} s`)), CELL_TIMEOUT_MS);
  });
  try {
    return await Promise.race([check(), timeout]);
  } catch (error) {
    // The gateway refusing, with a typed 400, what it never sent to the provider: the provider cannot do it.
    if (error instanceof DoorRefusal && reached() === before) return { verdict: "unsupported", note: `400: ${firstLine(error)}` };
    return { verdict: "failing", note: error instanceof CheckFailed ? error.message : `${error instanceof Error ? error.name : "error"}: ${firstLine(error)}` };
  } finally {
    clearTimeout(timer);
  }
}

/** Every cell, in DOORS × PROVIDERS × FEATURES order (the embeddings table in EMBEDDING_DOORS × PROVIDERS); the providers' cells run side by side. */
export async function runConformance(): Promise<ConformanceResults> {
  const conformance = await startConformanceGateway();
  try {
    const { gateway } = conformance;
    const openai = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: MASTER_KEY, maxRetries: 0 });
    const anthropic = new Anthropic({ baseURL: gateway.url, apiKey: MASTER_KEY, maxRetries: 0 });
    const clients: Record<Door, DoorClient> = { chat: chatDoor(openai), responses: responsesDoor(openai), messages: messagesDoor(anthropic), graphql: graphqlDoor(gateway) };
    const lanes = await Promise.all(
      PROVIDERS.map(async (provider) => {
        const cells: CellResult[] = [];
        for (const door of DOORS) {
          for (const feature of FEATURES) {
            const context = { door, provider, client: clients[door], conformance };
            cells.push({ door, provider, feature, ...(await runCheck(conformance, provider, () => FEATURE_CHECKS[feature](context))) });
          }
        }
        const embeddings: EmbeddingCellResult[] = [];
        for (const door of EMBEDDING_DOORS) {
          embeddings.push({ door, provider, ...(await runCheck(conformance, provider, () => checkEmbeddings(door, provider, conformance, openai))) });
        }
        return { cells, embeddings };
      }),
    );
    const cells = lanes.flatMap((lane) => lane.cells);
    const embeddings = lanes.flatMap((lane) => lane.embeddings);
    return {
      cells: DOORS.flatMap((door) => PROVIDERS.flatMap((provider) => FEATURES.map((feature) => cells.find((c) => c.door === door && c.provider === provider && c.feature === feature)!))),
      embeddings: EMBEDDING_DOORS.flatMap((door) => PROVIDERS.map((provider) => embeddings.find((c) => c.door === door && c.provider === provider)!)),
    };
  } finally {
    await conformance.close();
  }
}
