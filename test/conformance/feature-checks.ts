/**
 * The check behind each column of the matrix, written once for every door: each sends real requests
 * through the door and looks at what came back and at what the provider received.
 */
import { computeCostPico, picoToUsdString } from "../../src/accounting/index.js";
import { CallDocument } from "../gql/graphql.js";
import type { ConformanceGateway } from "./conformance-gateway.js";
import { reasoningGroup } from "./conformance-gateway.js";
import { expectThat, type CheckOutcome, type Door, type Feature, type Provider } from "./conformance-types.js";
import type { Exchange } from "./conformance-upstream.js";
import type { DoorAnswer, DoorClient } from "./door-client.js";
import { PROVIDER_WIRES } from "./provider-wires.js";
import { ANSWER, reasoningAnswer } from "./reasoning-answers.js";

export interface CellContext {
  door: Door;
  provider: Provider;
  client: DoorClient;
  conformance: ConformanceGateway;
}

export const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
const DATA_URL = `data:image/png;base64,${PNG}`;
const WEB_URL = "https://example.com/cat.jpg";
const TOOL_RESULT = "sunny-21C-in-Oslo";

const lastExchange = (context: CellContext, group: string): Exchange => {
  const exchange = context.conformance.upstream.exchangesOf(group).at(-1);
  expectThat(exchange !== undefined, `nothing reached ${group}`);
  return exchange;
};

async function text(context: CellContext): Promise<CheckOutcome> {
  const before = context.conformance.upstream.exchangesOf(context.provider).length;
  const answer = await context.client.ask({ model: context.provider, user: [{ text: "Say something" }] });
  expectThat(/\S/.test(answer.text), "no text came back");
  expectThat(context.conformance.upstream.exchangesOf(context.provider).length === before + 1, "the provider was not asked exactly once");
  return { verdict: "supported" };
}

async function stream(context: CellContext): Promise<CheckOutcome> {
  const streamed = await context.client.stream({ model: context.provider, user: [{ text: "Stream something" }] });
  expectThat(streamed.deltas.length >= 2, `the text arrived in ${streamed.deltas.length} chunk(s), not several`);
  expectThat(/\S/.test(streamed.deltas.join("")), "the streamed text is empty");
  expectThat(streamed.ended, "the stream did not end the door's way");
  return { verdict: "supported" };
}

async function tools(context: CellContext): Promise<CheckOutcome> {
  const question = { model: context.provider, user: [{ text: "What is the weather in Oslo?" }], tools: true };
  const first = await context.client.ask(question);
  const call = first.toolCalls[0];
  expectThat(call !== undefined, "no tool call came back");
  expectThat(call.name === "get_weather", `the tool call names ${call.name}`);
  const args: unknown = JSON.parse(call.arguments);
  expectThat(typeof args === "object" && args !== null, "the tool call's arguments are not a JSON object");
  const second = await context.client.ask({ ...question, toolResult: { call, result: TOOL_RESULT } });
  expectThat(/\S/.test(second.text), "no text answered the tool result");
  expectThat(JSON.stringify(lastExchange(context, context.provider).body).includes(TOOL_RESULT), "the tool result did not reach the provider");
  return { verdict: "supported" };
}

async function imageData(context: CellContext): Promise<CheckOutcome> {
  const answer = await context.client.ask({ model: context.provider, user: [{ text: "What is in this picture?" }, { imageUrl: DATA_URL }] });
  expectThat(/\S/.test(answer.text), "no text came back");
  const image = PROVIDER_WIRES[context.provider].image(lastExchange(context, context.provider).body ?? {});
  expectThat(image !== undefined, "no image part reached the provider");
  expectThat(image.data === PNG, `the image reached the provider as ${image.shape} without its base64 data`);
  return { verdict: "supported", note: image.shape };
}

async function imageUrl(context: CellContext): Promise<CheckOutcome> {
  const answer = await context.client.ask({ model: context.provider, user: [{ text: "What is in this picture?" }, { imageUrl: WEB_URL }] });
  expectThat(/\S/.test(answer.text), "no text came back");
  const image = PROVIDER_WIRES[context.provider].image(lastExchange(context, context.provider).body ?? {});
  expectThat(image !== undefined, "no image part reached the provider");
  expectThat(image.url === WEB_URL, `the image reached the provider as ${image.shape} without its URL`);
  return { verdict: "supported", note: image.shape };
}

/** What a reasoning answer must show: the provider's setting went out, its text (if any) and the answer came back unchanged. */
function checkReasoning(context: CellContext, got: { text: string; reasoning?: string | undefined }): CheckOutcome {
  const group = reasoningGroup(context.provider);
  const setting = PROVIDER_WIRES[context.provider].reasoning(lastExchange(context, group).body ?? {});
  expectThat(setting !== undefined, "no reasoning setting reached the provider");
  const { thinking } = reasoningAnswer(context.provider, context.conformance.modelOf(group).model);
  expectThat(got.text.trim() === ANSWER, `the answer text came back as ${JSON.stringify(got.text)}`);
  if (thinking === undefined) {
    expectThat(!got.reasoning, "reasoning text appeared that the provider never sent");
    return { verdict: "supported", note: `${setting}; the provider returns no reasoning text` };
  }
  expectThat(got.reasoning === thinking, got.reasoning ? "the reasoning text came back changed" : "the provider's reasoning text did not come back");
  return { verdict: "supported", note: setting };
}

async function reasoning(context: CellContext): Promise<CheckOutcome> {
  const answer = await context.client.ask({ model: reasoningGroup(context.provider), user: [{ text: "Name a sea" }], reasoning: true });
  return checkReasoning(context, answer);
}

async function reasoningStream(context: CellContext): Promise<CheckOutcome> {
  const streamed = await context.client.stream({ model: reasoningGroup(context.provider), user: [{ text: "Name a sea" }], reasoning: true });
  expectThat(streamed.ended, "the stream did not end the door's way");
  return checkReasoning(context, { text: streamed.deltas.join(""), reasoning: streamed.reasoning });
}

async function cachePricing(context: CellContext): Promise<CheckOutcome> {
  const { provider, conformance } = context;
  const wire = PROVIDER_WIRES[provider];
  // About 2,000 tokens, unique to the cell so that each cell starts with a cold cache.
  const system = { text: `${context.door} ${provider}: you answer questions about the attached handbook. `.repeat(150), cacheBreakpoint: true };
  const answers: DoorAnswer[] = [];
  const exchanges: Exchange[] = [];
  for (const question of ["What is in chapter one?", "And in chapter two?"]) {
    answers.push(await context.client.ask({ model: provider, system, user: [{ text: question }] }));
    exchanges.push(lastExchange(context, provider));
  }
  const reports = exchanges.map((exchange) => wire.cache(JSON.parse(exchange.answer) as Record<string, unknown>));
  const breakpoint = wire.cacheBreakpoint(exchanges[1]!.body ?? {});
  if (wire.breakpoint !== undefined && breakpoint === undefined) {
    return { verdict: "unsupported", note: `no ${wire.breakpoint} reaches the provider through this door, and it caches nothing without one` };
  }
  if (reports[1] === undefined) return { verdict: "unsupported", note: "the provider reports no cache tokens" };
  expectThat(reports[1].read > 0, "the repeated prompt read nothing from the cache");

  const { price } = conformance.modelOf(provider);
  expectThat(price !== undefined, "the deployment has no price");
  await conformance.gateway.flush();
  for (const [i, answer] of answers.entries()) {
    const report = reports[i] ?? { read: 0, write: 0 };
    const row = (await conformance.gateway.execute(CallDocument, { id: answer.callId })).data?.call;
    expectThat(row, `call ${answer.callId} is not in the call log`);
    expectThat(row.cachedTokens === report.read, `the call log counts ${row.cachedTokens} cache-read tokens, the provider reported ${report.read}`);
    expectThat(row.cacheWriteTokens === report.write, `the call log counts ${row.cacheWriteTokens} cache-write tokens, the provider reported ${report.write}`);
    if (answer.usage.cached !== undefined) expectThat(answer.usage.cached === report.read, `the door reports ${answer.usage.cached} cached tokens, the provider ${report.read}`);
    if (answer.usage.cacheWrite !== undefined) expectThat(answer.usage.cacheWrite === report.write, `the door reports ${answer.usage.cacheWrite} cache-write tokens, the provider ${report.write}`);
    const usage = { inputTokens: row.promptTokens, cachedInputTokens: row.cachedTokens, cacheWriteTokens: row.cacheWriteTokens, outputTokens: row.completionTokens, reasoningTokens: 0 };
    expectThat(row.costUsdExact === picoToUsdString(computeCostPico(usage, price)), `the call costs ${row.costUsdExact}, the catalog says ${picoToUsdString(computeCostPico(usage, price))}`);
  }
  const writes = reports.some((report) => (report?.write ?? 0) > 0);
  return { verdict: "supported", note: [writes ? "reads + writes" : "reads", breakpoint].filter(Boolean).join(", ") };
}

export const FEATURE_CHECKS: Readonly<Record<Feature, (context: CellContext) => Promise<CheckOutcome>>> = {
  text,
  stream,
  tools,
  imageData,
  imageUrl,
  reasoning,
  reasoningStream,
  cachePricing,
};
