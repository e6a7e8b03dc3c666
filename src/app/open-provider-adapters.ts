import type { Config, DeploymentConfig } from "../config/index.js";
import { ConfigError } from "../config/index.js";
import { createAdapter } from "../providers/create-adapter.js";
import { createHttpClient, type HttpClient } from "../providers/http/create-http-client.js";
import type { ProviderAdapter } from "../providers/spec.js";
import { createSimulator, type Simulator } from "../simulator/index.js";
import { deploymentPath, providerExtra, simulatedSettings } from "./adapter-settings.js";
import type { CloseSteps } from "./close-steps.js";

export interface ProviderAdapters {
  /** A new adapter for a deployment, on the connection pool of its settings. */
  adapterFor(deployment: DeploymentConfig): ProviderAdapter;
  /** The built-in simulator, when a deployment is simulated. */
  simulator?: Simulator;
}

/**
 * Opens what the deployments call through: the simulator when any deployment is simulated, and one
 * connection pool per distinct (connections, http2), so deployments on one origin with the same
 * settings share it. Each is added to `steps` to be closed.
 */
export async function openProviderAdapters(config: Config, steps: CloseSteps): Promise<ProviderAdapters> {
  const isSimulated = (d: DeploymentConfig) => d.provider === "simulator" || d.simulate !== undefined;
  const needsSimulator = config.models.some((group) => group.deployments.some(isSimulated));
  const simulator = needsSimulator ? createSimulator({ seed: config.simulator.seed }) : undefined;
  if (simulator) steps.add("the simulator", () => simulator.close());
  const simulatorUrl = simulator ? await simulator.listen(0, "127.0.0.1") : undefined;
  const httpClients = new Map<string, HttpClient>();
  const httpClientFor = (d: DeploymentConfig): HttpClient => {
    const connections = d.connections ?? config.router.connections;
    const http2 = d.http2 ?? config.router.http2;
    const key = `${connections}/${http2}`;
    let client = httpClients.get(key);
    if (client === undefined) httpClients.set(key, (client = createHttpClient({ ...(connections !== undefined ? { connections } : {}), http2 })));
    return client;
  };
  steps.add("provider connections", () => Promise.all([...httpClients.values()].map((c) => c.close())));
  const adapters: ProviderAdapter[] = [];
  steps.add("provider adapters", () => Promise.all(adapters.map((a) => a.close?.())));
  const adapterFor = (d: DeploymentConfig): ProviderAdapter => {
    let settings = { provider: d.provider, baseUrl: d.baseUrl ?? "", ...(d.apiKey ? { apiKey: d.apiKey } : {}), extra: providerExtra(d) };
    if (isSimulated(d)) {
      // Any provider's wire format, served by the built-in simulator under this deployment's own profile.
      simulator!.setProfile(d.id, { ...(d.simulate ?? {}) });
      settings = simulatedSettings(d, `${simulatorUrl}/p/${encodeURIComponent(d.id)}`, settings.extra);
    }
    try {
      const adapter = createAdapter(settings, httpClientFor(d));
      adapters.push(adapter);
      return adapter;
    } catch (error) {
      throw new ConfigError("config", [`${deploymentPath(config, d)}: ${error instanceof Error ? error.message : String(error)}`]);
    }
  };
  return { adapterFor, ...(simulator ? { simulator } : {}) };
}
