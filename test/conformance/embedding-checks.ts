/**
 * The embeddings table's check, for `POST /v1/embeddings` (official `openai` SDK) and the GraphQL `embed`
 * mutation: two texts in, two different vectors out, both texts at the provider, and the call recorded
 * as an embedding and priced at the catalog's input rate.
 */
import { sql } from "drizzle-orm";
import OpenAI from "openai";
import { computeCostPico, picoToUsdString } from "../../src/accounting/index.js";
import { CallDocument, EmbedDocument } from "../gql/graphql.js";
import { embeddingGroup, type ConformanceGateway } from "./conformance-gateway.js";
import { expectThat, type CheckOutcome, type EmbeddingDoor, type Provider } from "./conformance-types.js";
import { DoorRefusal } from "./door-client.js";

const TEXTS = ["conformance of embeddings", "a second, different text"];

interface Embedded {
  vectors: number[][];
  /** The call's id in the call log. */
  callId: string;
}

async function viaOpenAI(openai: OpenAI, conformance: ConformanceGateway, model: string): Promise<Embedded> {
  const answer = await openai.embeddings.create({ model, input: TEXTS, encoding_format: "float" }).catch((error: unknown) => {
    throw error instanceof OpenAI.BadRequestError ? new DoorRefusal(String((error.error as { message?: unknown } | undefined)?.message ?? error.message)) : error;
  });
  // The OpenAI shape names no call: the newest embedding row of the group's one deployment is this one.
  await conformance.gateway.flush();
  const rows = await conformance.gateway.switchyard.database.db.execute(sql`select id from calls where kind = 'EMBEDDING' and deployment = ${model} order by created_at desc limit 1`);
  const row = (rows as unknown as { rows: Array<{ id: string }> }).rows[0];
  expectThat(row !== undefined, "no embedding call was recorded");
  return { vectors: answer.data.map((d) => d.embedding), callId: row.id };
}

async function viaGraphQL(conformance: ConformanceGateway, model: string): Promise<Embedded> {
  const result = await conformance.gateway.execute(EmbedDocument, { input: { model, input: TEXTS } });
  const error = result.errors?.[0];
  if (error?.extensions?.code === "BAD_USER_INPUT") throw new DoorRefusal(error.message);
  expectThat(error === undefined, `GraphQL error: ${error?.message}`);
  return { vectors: result.data!.embed.vectors as number[][], callId: result.data!.embed.callId };
}

export async function checkEmbeddings(door: EmbeddingDoor, provider: Provider, conformance: ConformanceGateway, openai: OpenAI): Promise<CheckOutcome> {
  const group = embeddingGroup(provider);
  const before = conformance.upstream.exchangesOf(group).length;
  const embedded = door === "embeddings" ? await viaOpenAI(openai, conformance, group) : await viaGraphQL(conformance, group);
  expectThat(embedded.vectors.length === TEXTS.length, `${embedded.vectors.length} vectors for ${TEXTS.length} texts`);
  expectThat(embedded.vectors.every((v) => v.length > 0 && v.every(Number.isFinite)), "a vector is empty or not numbers");
  expectThat(JSON.stringify(embedded.vectors[0]) !== JSON.stringify(embedded.vectors[1]), "two different texts got the same vector");
  // Some embedding APIs take one text a request (Bedrock's Titan).
  const requests = conformance.upstream.exchangesOf(group).slice(before);
  const sent = JSON.stringify(requests.map((exchange) => exchange.body));
  expectThat(TEXTS.every((text) => sent.includes(text)), "the texts did not reach the provider");

  await conformance.gateway.flush();
  const row = (await conformance.gateway.execute(CallDocument, { id: embedded.callId })).data?.call;
  expectThat(row, `call ${embedded.callId} is not in the call log`);
  expectThat(row.kind === "EMBEDDING", `the call is recorded as ${row.kind}`);
  const { price } = conformance.modelOf(group);
  expectThat(price !== undefined, "the deployment has no price");
  const usage = { inputTokens: row.promptTokens, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: row.completionTokens, reasoningTokens: 0 };
  expectThat(row.costUsdExact === picoToUsdString(computeCostPico(usage, price)), `the call costs ${row.costUsdExact}, the catalog says ${picoToUsdString(computeCostPico(usage, price))}`);
  return requests.length > 1 ? { verdict: "supported", note: `${requests.length} requests, one per text` } : { verdict: "supported" };
}
