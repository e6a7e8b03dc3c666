import { z } from "zod";
import { deploymentSchema } from "./deployment-schema.js";
import { nonNegativeInt, positiveInt, probability } from "./number-schemas.js";

export const STRATEGIES = ["weighted", "round-robin", "least-busy", "latency", "usage", "cost"] as const;

const hedgeSchema = z.strictObject({
  afterMs: z.union([z.literal("auto"), positiveInt]).default("auto"),
});

/** `builtin` (the shipped router) or the path of a router file made by `router:train`. */
const routerSpecSchema = z.string().min(1);
const tiersSchema = z.array(z.string().min(1)).min(2, "a tiered group needs two or more tiers, cheapest first");

/**
 * Opt-in: recordFeedback scores move the thresholds, within [min, max] (default: 0.1 either side of
 * the configured ones), per instance. Feedback is on the caller's scale: below `lowScore` is bad,
 * at or above `highScore` good.
 */
const adaptSchema = z
  .strictObject({
    step: z.number().positive().max(1).default(0.01),
    /** Default: a quarter of `step` (a good strong answer is weaker evidence than a bad cheap one). */
    raiseStep: z.number().positive().max(1).optional(),
    min: probability.optional(),
    max: probability.optional(),
    lowScore: z.number().finite().default(0.5),
    highScore: z.number().finite().default(0.8),
    near: probability.default(0.05),
  })
  .refine((adapt) => adapt.lowScore <= adapt.highScore, { message: "lowScore must not be above highScore", path: ["lowScore"] })
  .refine((adapt) => adapt.min === undefined || adapt.max === undefined || adapt.min <= adapt.max, { message: "min must not be above max", path: ["min"] });

/** Classifier routing: score the prompt, a score ≥ threshold goes up a tier (see API.md "Quality routing and cascades"). */
const qualitySchema = z.strictObject({
  tiers: tiersSchema,
  /** One value per boundary between tiers, ascending; or give `strongShare` instead. */
  threshold: z.union([probability, z.array(probability).min(1)]).optional(),
  /** The share of prompts (0..1) to send to the stronger tier; the router file turns it into a threshold. */
  strongShare: probability.optional(),
  router: routerSpecSchema.default("builtin"),
  adapt: adaptSchema.optional(),
});

/** One test an answer must pass to stand (every one must); `score` is a test of the prompt, before any call. */
const CHECK_KINDS = ["minLength", "regex", "jsonSchema", "refusal", "score"] as const;
const answerCheckSchema = z
  .strictObject({
    minLength: nonNegativeInt.optional(),
    regex: z.string().optional(),
    jsonSchema: z.record(z.string(), z.unknown()).optional(),
    refusal: z.boolean().optional(),
    score: probability.optional(),
  })
  .refine((check) => CHECK_KINDS.filter((kind) => check[kind] !== undefined).length === 1, {
    message: `a check is exactly one of: ${CHECK_KINDS.join(", ")}`,
  });

/** Answer with the cheapest tier, check the answer, escalate to the next tier on failure. */
const cascadeSchema = z.strictObject({
  tiers: tiersSchema,
  checks: z.array(answerCheckSchema).min(1, "a cascade needs at least one check"),
  /** The router for `score` checks (default builtin); the score is also recorded on every call. */
  router: routerSpecSchema.optional(),
});

export const groupSchema = z.strictObject({
  name: z.string().min(1),
  aliases: z.array(z.string().min(1)).default([]),
  strategy: z.enum(STRATEGIES).default("weighted"),
  fallbacks: z.array(z.string()).default([]),
  contextWindowFallbacks: z.array(z.string()).optional(),
  contentPolicyFallbacks: z.array(z.string()).optional(),
  rateLimitFallbacks: z.array(z.string()).optional(),
  retries: nonNegativeInt.optional(),
  timeoutMs: positiveInt.optional(),
  firstTokenTimeoutMs: positiveInt.optional(),
  hedge: hedgeSchema.optional(),
  /** Empty for a quality or cascade group, which routes over other groups instead. */
  deployments: z.array(deploymentSchema).default([]),
  quality: qualitySchema.optional(),
  cascade: cascadeSchema.optional(),
}).superRefine((group, context) => {
  if (group.quality && group.cascade) {
    context.addIssue({ code: "custom", path: ["cascade"], message: "a group is a quality group or a cascade, not both" });
  } else if (group.quality || group.cascade) {
    const policy = group.quality ? "quality" : "cascade";
    if (group.deployments.length > 0) {
      context.addIssue({ code: "custom", path: ["deployments"], message: `a ${policy} group routes over its tiers and holds no deployments of its own` });
    }
  } else if (group.deployments.length === 0) {
    context.addIssue({ code: "custom", path: ["deployments"], message: "a model group needs at least one deployment (or quality/cascade tiers)" });
  }
  if (group.quality && (group.quality.threshold === undefined) === (group.quality.strongShare === undefined)) {
    context.addIssue({ code: "custom", path: ["quality"], message: "give either threshold or strongShare" });
  }
});
