/**
 * Runs every cell of the conformance matrix (door × provider × feature) against one gateway and one
 * set of upstreams, and says of each cell what really happened: supported, unsupported, or failing.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { chatDoor } from "./chat-door.js";
import { MASTER_KEY, reasoningGroup, startConformanceGateway } from "./conformance-gateway.js";
import { CheckFailed, DOORS, FEATURES, PROVIDERS, type CellResult, type Door, type Feature, type Provider } from "./conformance-types.js";
import { DoorRefusal, firstLine, type DoorClient } from "./door-client.js";
import { FEATURE_CHECKS, type CellContext } from "./feature-checks.js";
import { graphqlDoor } from "./graphql-door.js";
import { messagesDoor } from "./messages-door.js";
import { responsesDoor } from "./responses-door.js";

const CELL_TIMEOUT_MS = 20_000;

async function runCell(context: CellContext, feature: Feature): Promise<CellResult> {
  const { door, provider, conformance } = context;
  const cell = { door, provider, feature };
  const reached = () => conformance.upstream.exchangesOf(provider).length + conformance.upstream.exchangesOf(reasoningGroup(provider)).length;
  const before = reached();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckFailed(`no outcome within ${CELL_TIMEOUT_MS / 1000} s`)), CELL_TIMEOUT_MS);
  });
  try {
    const outcome = await Promise.race([FEATURE_CHECKS[feature](context), timeout]);
    return { ...cell, ...outcome };
  } catch (error) {
    // The gateway refusing, with a typed 400, what it never sent to the provider: the provider cannot do it.
    if (error instanceof DoorRefusal && reached() === before) return { ...cell, verdict: "unsupported", note: `400: ${firstLine(error)}` };
    return { ...cell, verdict: "failing", note: error instanceof CheckFailed ? error.message : `${error instanceof Error ? error.name : "error"}: ${firstLine(error)}` };
  } finally {
    clearTimeout(timer);
  }
}

/** Every cell, in DOORS × PROVIDERS × FEATURES order; the providers' cells run side by side. */
export async function runConformance(): Promise<CellResult[]> {
  const conformance = await startConformanceGateway();
  try {
    const { gateway } = conformance;
    const openai = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: MASTER_KEY, maxRetries: 0 });
    const anthropic = new Anthropic({ baseURL: gateway.url, apiKey: MASTER_KEY, maxRetries: 0 });
    const clients: Record<Door, DoorClient> = { chat: chatDoor(openai), responses: responsesDoor(openai), messages: messagesDoor(anthropic), graphql: graphqlDoor(gateway) };
    const byProvider = await Promise.all(
      PROVIDERS.map(async (provider: Provider) => {
        const results: CellResult[] = [];
        for (const door of DOORS) {
          for (const feature of FEATURES) results.push(await runCell({ door, provider, client: clients[door], conformance }, feature));
        }
        return results;
      }),
    );
    const all = byProvider.flat();
    return DOORS.flatMap((door) => PROVIDERS.flatMap((provider) => FEATURES.map((feature) => all.find((r) => r.door === door && r.provider === provider && r.feature === feature)!)));
  } finally {
    await conformance.close();
  }
}
