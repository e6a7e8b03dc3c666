import { ConfigError } from "../config/index.js";
import { SUPPORTED_PROVIDERS } from "../providers/create-adapter.js";
import { loadPromptScorer } from "../routing/quality/load-prompt-scorer.js";
import { isLoopbackHost } from "../server/origin-policy.js";
import { createCloseSteps } from "./close-steps.js";
import { buildTierPolicies } from "./build-tier-policies.js";
import { readSafelist } from "./read-safelist.js";
import { openSwitchyard } from "./open-switchyard.js";
import type { StartOptions } from "./start-options.js";
import type { Switchyard } from "./switchyard.js";

/** The composition root: config in, a listening gateway out. */
export async function startSwitchyard(options: StartOptions): Promise<Switchyard> {
  const { config, logger } = options;
  const unsupported = config.models.flatMap((group, g) =>
    group.deployments.flatMap((d, i) =>
      SUPPORTED_PROVIDERS.has(d.provider) ? [] : [`models[${g}].deployments[${i}].provider: provider "${d.provider}" is not supported by this build yet`],
    ),
  );
  if (unsupported.length > 0) throw new ConfigError("config", unsupported);
  const host = options.host ?? config.server.host;
  if (!options.masterKey && !isLoopbackHost(host) && !config.server.allowOpenModeOnNetwork) {
    throw new ConfigError("config", [
      `server.host: "${host}" is reachable from the network, and without SWITCHYARD_MASTER_KEY (open dev mode) every caller is admin. ` +
        "Set SWITCHYARD_MASTER_KEY, listen on 127.0.0.1, or set server.allowOpenModeOnNetwork: true to accept the risk",
    ]);
  }
  // Router files are read before anything is opened: a bad one stops the start with its config path.
  const policies = buildTierPolicies(config, options.loadScorer ?? loadPromptScorer);
  const safelistConfig = config.server.graphql.safelist;
  const safelist = safelistConfig ? readSafelist(safelistConfig.manifest) : undefined;

  // Everything opened from here on is closed again, in reverse order, when a later step fails.
  const steps = createCloseSteps();
  try {
    return await openSwitchyard(options, host, policies, safelist, steps);
  } catch (error) {
    for (const failure of await steps.run()) logger.error({ err: failure }, "closing what a failed start had opened");
    throw error;
  }
}
