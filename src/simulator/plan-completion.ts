import type { PromptCache } from "./prompt-cache.js";
import { sampleFromSchema } from "./sample-from-schema.js";
import { randomString } from "./seeded-random.js";
import type { SimulatedRequest } from "./simulated-request.js";
import type { SimulatorProfile } from "./simulator-profile.js";
import { WORDS } from "./word-list.js";

export interface CompletionUsage {
  promptTokens: number;
  completionTokens: number;
  /** Of promptTokens, read from the prompt cache. */
  cachedTokens: number;
  /** Of promptTokens, written to the prompt cache (only Anthropic and Bedrock report it). */
  cacheWriteTokens: number;
}

/** Reasoning text sent before the answer, when the request turned reasoning on. */
export interface ReasoningPlan {
  /** The reasoning tokens, in order; not part of the answer's completionTokens. */
  pieces: readonly string[];
  /** Signs the reasoning (Anthropic's thinking signature, Gemini's thought signature, Bedrock's reasoningText signature). */
  signature: string;
}

interface PlanBase {
  /** OpenAI-style `chatcmpl-…`; other formats reuse its random part (planKey, toolCallKey). */
  id: string;
  /** Unix seconds. */
  created: number;
  model: string;
  usage: CompletionUsage;
  reasoning?: ReasoningPlan;
}

/** `pieces` are the tokens actually sent, in order; their concatenation is the content. */
export interface TextPlan extends PlanBase {
  kind: "text";
  pieces: readonly string[];
  finishReason: "stop" | "length";
  /** The stop string that ended the text, when one did (Anthropic and Bedrock report it). */
  stopSequence?: string;
}

export interface ToolCallPlan extends PlanBase {
  kind: "tool-call";
  /** OpenAI-style `call_…`; other formats reuse its random part (planKey, toolCallKey). */
  toolCallId: string;
  name: string;
  arguments: string;
  /** The argument string split in the fragments a stream sends (2–3 of them). */
  argumentPieces: readonly string[];
  finishReason: "tool_calls";
}

/** What to answer, decided before any byte is written so stream and non-stream agree. */
export type CompletionPlan = TextPlan | ToolCallPlan;

export interface PlanCompletionOptions {
  request: SimulatedRequest;
  profile: SimulatorProfile;
  /** Seeded per request; the plan consumes it in a fixed order, so equal seeds give equal plans. */
  random: () => number;
  /** The profile's prompt cache; used unless the profile sets `cachedPromptFraction`. */
  promptCache?: PromptCache;
  nowMs: number;
}

const DEFAULT_OUTPUT_TOKENS = 16;
const ID_PREFIX = "chatcmpl-";
const TOOL_CALL_PREFIX = "call_";
const JSON_PIECE_CHARS = 8;

export function planCompletion(options: PlanCompletionOptions): CompletionPlan {
  const plan = planAnswer(options);
  // Drawn after the answer, so a request asking for reasoning gets the same answer as one that does not.
  if (options.request.reasoning !== undefined) plan.reasoning = planReasoning(options.random);
  return plan;
}

const REASONING_WORDS = 12;
const SIGNATURE_CHARS = 48;

function planReasoning(random: () => number): ReasoningPlan {
  const pieces: string[] = [];
  for (let i = 0; i < REASONING_WORDS; i++) {
    const word = WORDS[Math.floor(random() * WORDS.length)] ?? "";
    pieces.push(i === 0 ? word : ` ${word}`);
  }
  return { pieces, signature: randomString(random, SIGNATURE_CHARS) };
}

function planAnswer({ request, profile, random, nowMs, promptCache }: PlanCompletionOptions): CompletionPlan {
  const id = `${ID_PREFIX}${randomString(random, 29)}`;
  const created = Math.floor(nowMs / 1000);
  const model = profile.model ?? request.model;
  const promptTokens = request.promptTokens;
  const { cachedTokens, cacheWriteTokens } = cacheUse(request, profile, promptCache);

  const tool = chooseTool(request);
  if (tool !== undefined) {
    const args = JSON.stringify(sampleFromSchema(tool.parameters));
    return {
      kind: "tool-call",
      id,
      created,
      model,
      toolCallId: `${TOOL_CALL_PREFIX}${randomString(random, 24)}`,
      name: tool.name,
      arguments: args,
      argumentPieces: splitInto(args, args.length >= 3 ? 3 : 2),
      finishReason: "tool_calls",
      usage: { promptTokens, cachedTokens, cacheWriteTokens, completionTokens: Math.ceil((tool.name.length + args.length) / 4) + 1 },
    };
  }

  const planned = profile.reply !== undefined ? replyPieces(profile.reply) : plannedPieces(request, profile.outputTokens ?? DEFAULT_OUTPUT_TOKENS, random);
  const limit = Math.min(planned.length, request.maxTokens ?? Infinity);
  const stopped = cutAtStop(planned.slice(0, limit), request.stop);
  const finishReason = stopped.cut !== undefined || limit >= planned.length ? "stop" : "length";
  const plan: TextPlan = {
    kind: "text",
    id,
    created,
    model,
    pieces: stopped.pieces,
    finishReason,
    usage: { promptTokens, cachedTokens, cacheWriteTokens, completionTokens: stopped.pieces.length },
  };
  if (stopped.cut !== undefined) plan.stopSequence = stopped.cut;
  return plan;
}

/** A fixed `cachedPromptFraction` when the profile sets one; else what the prompt cache did with this prompt. */
function cacheUse(request: SimulatedRequest, profile: SimulatorProfile, cache: PromptCache | undefined): { cachedTokens: number; cacheWriteTokens: number } {
  if (profile.cachedPromptFraction !== undefined || cache === undefined) {
    return { cachedTokens: Math.floor(request.promptTokens * Math.min(1, Math.max(0, profile.cachedPromptFraction ?? 0))), cacheWriteTokens: 0 };
  }
  const use = cache.use(request.model, request.promptPrefixes ?? []);
  return { cachedTokens: Math.min(use.read, request.promptTokens), cacheWriteTokens: Math.min(use.write, request.promptTokens - use.read) };
}

/** A tool call answers a user turn when tools are offered; a tool result gets a text answer. */
function chooseTool(request: SimulatedRequest): { name: string; parameters: unknown } | undefined {
  if (request.tools.length === 0 || request.toolChoice === "none" || request.lastRole !== "user") return undefined;
  const choice = request.toolChoice;
  if (typeof choice === "object") {
    return request.tools.find((t) => t.name === choice.name) ?? { name: choice.name, parameters: undefined };
  }
  return request.tools[0];
}

function plannedPieces(request: SimulatedRequest, wordCount: number, random: () => number): string[] {
  const format = request.responseFormat;
  if (format.type === "json_schema") {
    return splitEvery(JSON.stringify(sampleFromSchema(format.schema)), JSON_PIECE_CHARS);
  }
  const words: string[] = [];
  for (let i = 0; i < wordCount; i++) {
    const word = WORDS[Math.floor(random() * WORDS.length)] ?? "";
    words.push(i === 0 ? word : ` ${word}`);
  }
  // The word list holds nothing JSON would escape, so words go into the JSON string verbatim.
  return format.type === "json_object" ? ['{"answer":"', ...words, '"}'] : words;
}

/** A fixed reply as tokens: each word with the whitespace before it. */
function replyPieces(reply: string): string[] {
  return reply.match(/\s*\S+/g) ?? (reply === "" ? [] : [reply]);
}

/** Cuts at the stop string that completes first; the stop string itself is not sent. */
function cutAtStop(pieces: string[], stops: readonly string[]): { pieces: string[]; cut: string | undefined } {
  if (stops.length === 0) return { pieces, cut: undefined };
  const text = pieces.join("");
  let cutAt = -1;
  let bestEnd = Infinity;
  let matched: string | undefined;
  for (const stop of stops) {
    const index = text.indexOf(stop);
    if (index >= 0 && index + stop.length < bestEnd) {
      bestEnd = index + stop.length;
      cutAt = index;
      matched = stop;
    }
  }
  if (matched === undefined) return { pieces, cut: undefined };
  const kept: string[] = [];
  let offset = 0;
  for (const piece of pieces) {
    if (offset >= cutAt) break;
    kept.push(piece.slice(0, cutAt - offset));
    offset += piece.length;
  }
  return { pieces: kept, cut: matched };
}

/** Splits by code points, so multi-byte characters are never torn inside a JSON string. */
function splitEvery(text: string, size: number): string[] {
  const chars = Array.from(text);
  const result: string[] = [];
  for (let i = 0; i < chars.length; i += size) result.push(chars.slice(i, i + size).join(""));
  return result;
}

/** The random part of the plan's id, for formats with their own prefix (`msg_…`). */
export const planKey = (plan: CompletionPlan): string => plan.id.slice(ID_PREFIX.length);

/** The random part of the tool call's id, for formats with their own prefix (`toolu_…`, `tooluse_…`). */
export const toolCallKey = (plan: ToolCallPlan): string => plan.toolCallId.slice(TOOL_CALL_PREFIX.length);

function splitInto(text: string, parts: number): string[] {
  return splitEvery(text, Math.max(1, Math.ceil(Array.from(text).length / parts)));
}
