import DataLoader from "dataloader";
import type { AttemptRow } from "../db/index.js";
import type { GraphQLServices } from "./services.js";

export interface GraphQLLoaders {
  attemptsByCall: DataLoader<string, AttemptRow[]>;
}

/** A new set per request, so nothing is cached across requests or principals. */
export function createLoaders(services: GraphQLServices): GraphQLLoaders {
  return {
    attemptsByCall: new DataLoader(async (callIds) => {
      const grouped = await services.calls.getAttempts([...callIds]);
      return callIds.map((id) => grouped.get(id) ?? []);
    }),
  };
}
