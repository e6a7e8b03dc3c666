import { GatewayError } from "../core/index.js";
import type { Deployment, ModelGroup } from "./model-group.js";

export function assertSomeDeploymentFits(
  start: ModelGroup,
  reachable: readonly ModelGroup[],
  canServe: (d: Deployment) => boolean,
  promptTokens: number,
  maxCostPico?: number,
): void {
  if (reachable.some((group) => group.deployments.some(canServe))) return;
  if (maxCostPico !== undefined) {
    throw new GatewayError("BAD_USER_INPUT", `No deployment of "${start.name}" or its fallbacks can serve this request within routing.maxCostUsd`, {
      errorKind: "over_cost_limit",
      field: "routing.maxCostUsd",
    });
  }
  const largest = Math.max(...reachable.flatMap((group) => group.deployments.map((d) => d.contextWindow ?? 0)));
  const tooLong = reachable.some((group) => group.deployments.some((d) => d.contextWindow !== undefined && d.contextWindow < promptTokens));
  throw new GatewayError(
    "BAD_USER_INPUT",
    tooLong
      ? `The prompt (about ${promptTokens} tokens) fits no deployment of "${start.name}" or its fallbacks (largest context window: ${largest} tokens)`
      : `No deployment of "${start.name}" or its fallbacks supports what this request needs (tools, images or a JSON schema): the config or the catalog says so, or the deployment refused it before`,
    { errorKind: tooLong ? "context_window" : "unsupported_feature", promptTokens },
  );
}
