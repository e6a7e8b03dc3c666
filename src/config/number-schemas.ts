import { z } from "zod";

export const positiveInt = z.number().int().positive();
export const nonNegativeInt = z.number().int().nonnegative();
export const probability = z.number().min(0).max(1);
