import type { Deployment } from "./model-group.js";

/** Weighted random choice; `random` returns [0, 1). Returns undefined for an empty list. */
export function pickWeighted(deployments: readonly Deployment[], random: () => number): Deployment | undefined {
  if (deployments.length <= 1) return deployments[0];
  let total = 0;
  for (const deployment of deployments) total += deployment.weight;
  let point = random() * total;
  for (const deployment of deployments) {
    point -= deployment.weight;
    if (point < 0) return deployment;
  }
  return deployments[deployments.length - 1];
}
