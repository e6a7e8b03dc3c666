import { z } from "zod";
import type { SimulatorProfile } from "./simulator-profile.js";

const probability = z.number().min(0).max(1);
const nonNegative = z.number().min(0);

/** The failure knobs (SimulatorProfile.failures): each a probability, drawn per request. */
export const simulatorFailuresSchema = z.strictObject({
  rateLimit: probability.optional(),
  serverError: probability.optional(),
  unavailable: probability.optional(),
  hang: probability.optional(),
  reset: probability.optional(),
  truncate: probability.optional(),
  garbage: probability.optional(),
  midStreamError: probability.optional(),
});

/** Validates a profile read from a file, so a typo in a knob fails loudly instead of being ignored. */
export const simulatorProfileSchema = z.strictObject({
  firstTokenMs: nonNegative.optional(),
  tokensPerSecond: nonNegative.optional(),
  outputTokens: z.number().int().min(0).optional(),
  reply: z.string().optional(),
  failures: simulatorFailuresSchema.optional(),
  retryAfterMs: nonNegative.optional(),
  rateLimit: z.strictObject({ requests: z.number().int().min(0), tokens: z.number().int().min(0) }).optional(),
  chunkBytes: z.number().int().min(1).optional(),
  lineEnding: z.enum(["\n", "\r\n"]).optional(),
  keepAliveComments: z.boolean().optional(),
  model: z.string().min(1).optional(),
  cachedPromptFraction: probability.optional(),
  holdAfterFirstToken: z.boolean().optional(),
}) satisfies z.ZodType<SimulatorProfile>;

/** A profiles file: profile name → profile; the name "default" sets the unprefixed routes' profile. */
export const simulatorProfilesSchema = z.record(z.string().min(1), simulatorProfileSchema);
