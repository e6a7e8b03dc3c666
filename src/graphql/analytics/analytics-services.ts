import type { DeploymentOutcomesRepository } from "../../db/index.js";
import type { KeyTeamReads } from "../../db/key-team-reads.js";
import type { CostWhatIf } from "../../gateway/create-cost-what-if.js";
import type { RoutingSavings } from "../../gateway/create-routing-savings.js";

/** What the analytics field resolvers and costWhatIf read; scoped to a virtual key's own rows like calls and usage. */
export interface AnalyticsServices {
  keyTeams: KeyTeamReads;
  costWhatIf: CostWhatIf;
  /** routingSavings: a tiered group's cost against its top tier's. */
  routingSavings: RoutingSavings;
  /** Stored attempt outcomes per deployment (fleet-wide operational data, like live health: not scoped to a key). */
  deploymentOutcomes: DeploymentOutcomesRepository;
  /** The clock behind default windows (tests inject one). */
  now?: () => Date;
}
