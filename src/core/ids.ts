import { randomUUID } from "node:crypto";
import { flatString } from "./flat-string.js";

/** Call ids are UUIDs (v4) so rows can be written from any instance without coordination; flat, as they live as long as their call. */
export const newCallId = (): string => flatString(randomUUID());
