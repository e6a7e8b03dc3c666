import DataLoader from "dataloader";
import type { AttemptRow, FeedbackRow } from "../db/index.js";
import { type AnalyticsLoaders, createAnalyticsLoaders } from "./analytics/create-analytics-loaders.js";
import type { GraphQLServices } from "./services.js";

export interface GraphQLLoaders extends AnalyticsLoaders {
  attemptsByCall: DataLoader<string, AttemptRow[]>;
  feedbackByCall: DataLoader<string, FeedbackRow[]>;
}

/** A new set per request, so nothing is cached across requests or principals. */
export function createLoaders(services: GraphQLServices): GraphQLLoaders {
  return {
    ...createAnalyticsLoaders(services),
    attemptsByCall: new DataLoader(async (callIds) => {
      const grouped = await services.calls.getAttempts([...callIds]);
      return callIds.map((id) => grouped.get(id) ?? []);
    }),
    feedbackByCall: new DataLoader(async (callIds) => {
      const grouped = await services.feedback.byCalls(callIds);
      return callIds.map((id) => grouped.get(id) ?? []);
    }),
  };
}
