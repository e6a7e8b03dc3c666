import type { ChatRequest, ChatResponse, EmbeddingRequest, EmbeddingResponse, RoutingDecision } from "../core/index.js";
import type { Attempt } from "./attempt.js";
import type { EventBatches } from "./attempt-event-stream.js";
import type { FeatureRejections } from "./feature-rejections.js";
import type { HealthTracker } from "./health/create-health-tracker.js";
import type { Deployment, ModelGroup } from "./model-group.js";
import type { RouteContext } from "./route-context.js";

export interface RoutedResponse {
  group: ModelGroup;
  deployment: Deployment;
  response: ChatResponse;
  attempts: Attempt[];
  /** How a quality or cascade group chose the tier. */
  decision?: RoutingDecision;
}

export interface RoutedStream {
  group: ModelGroup;
  deployment: Deployment;
  /**
   * The first event is already here (the deployment proved it can answer); the rest follow. Read
   * ahead of the consumer and offered in batches (`take`); `close` (or `return`) aborts the upstream.
   */
  events: EventBatches;
  attempts: Attempt[];
  decision?: RoutingDecision;
}

export interface Router {
  /** A model group by name or alias. */
  resolve(model: string): ModelGroup | undefined;
  readonly groups: readonly ModelGroup[];
  readonly health: HealthTracker;
  /** What deployments refused (tools, a JSON schema, JSON mode) although the catalog did not say they would. */
  readonly featureRejections: FeatureRejections;
  /** The router's monotonic clock (ms): attempts' `startedAtMs` and `latencyMs` are on it. */
  now(): number;
  complete(request: ChatRequest, context?: RouteContext): Promise<RoutedResponse>;
  stream(request: ChatRequest, context?: RouteContext): Promise<RoutedStream>;
  /** Embeddings through the same attempt loop, over the group's deployments whose adapter embeds. */
  embed(request: EmbeddingRequest, context?: RouteContext): Promise<RoutedEmbedding>;
}

export interface RoutedEmbedding {
  group: ModelGroup;
  deployment: Deployment;
  response: EmbeddingResponse;
  attempts: Attempt[];
}
