import { GatewayError } from "../core/index.js";
import type { ModelGroup } from "./model-group.js";

/** A budget cannot be charged for a call whose price is unknown: refuse, naming the deployments and the config key. */
export function assertSomePricedDeployment(start: ModelGroup, reachable: readonly ModelGroup[]): void {
  const all = reachable.flatMap((group) => group.deployments);
  if (all.some((d) => d.unpriced !== true || d.unpricedAllowed === true)) return;
  const names = all.map((d) => d.id).join(", ");
  throw new GatewayError(
    "FORBIDDEN",
    `"${start.name}" reaches only deployments with no known price (${names}), and this key has a budget that could not be charged for them; ` +
      "give them `pricing` in the config, or set `allowUnpriced: true` on a deployment to let budgeted keys use it",
    { errorKind: "unpriced_deployment", model: start.name, deployments: all.map((d) => d.id) },
  );
}
