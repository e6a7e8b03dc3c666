import { randomUUID } from "node:crypto";

/** Call ids are UUIDs (v4) so rows can be written from any instance without coordination. */
export const newCallId = (): string => randomUUID();
