import type { DeploymentSnapshot, HealthChange, Router } from "../routing/index.js";

/** One deployment's live health, as the API shows it. */
export interface DeploymentHealthInfo {
  deployment: string;
  model: string;
  provider: string;
  snapshot: DeploymentSnapshot;
  rpmLimit?: number;
  tpmLimit?: number;
}

export interface HealthService {
  /** Every deployment, or those of one model group (name or alias). */
  list(model?: string): DeploymentHealthInfo[];
  /** Status transitions as they happen; leaving the loop unsubscribes. */
  changes(model?: string): AsyncIterableIterator<DeploymentHealthInfo>;
}

export function createHealthService(router: Router): HealthService {
  const owners = new Map<string, { group: string; provider: string; rpm?: number; tpm?: number }>();
  for (const group of router.groups) {
    for (const d of group.deployments) owners.set(d.id, { group: group.name, provider: d.provider, ...(d.rpm ? { rpm: d.rpm } : {}), ...(d.tpm ? { tpm: d.tpm } : {}) });
  }
  const info = (id: string, snapshot: DeploymentSnapshot): DeploymentHealthInfo => {
    const owner = owners.get(id)!;
    return {
      deployment: id,
      model: owner.group,
      provider: owner.provider,
      snapshot,
      ...(owner.rpm ? { rpmLimit: owner.rpm } : {}),
      ...(owner.tpm ? { tpmLimit: owner.tpm } : {}),
    };
  };
  const groupOf = (model?: string) => (model === undefined ? undefined : (router.resolve(model)?.name ?? `\u0000${model}`));

  return {
    list(model) {
      const group = groupOf(model);
      return router.groups
        .filter((g) => group === undefined || g.name === group)
        .flatMap((g) => g.deployments.map((d) => info(d.id, router.health.snapshot(d.id))));
    },

    changes(model) {
      const group = groupOf(model);
      const queue: DeploymentHealthInfo[] = [];
      let wake: (() => void) | undefined;
      let done = false;
      const unsubscribe = router.health.subscribe((change: HealthChange) => {
        if (group !== undefined && change.group !== group) return;
        queue.push(info(change.deployment, change.snapshot));
        wake?.();
      });
      const finish = async (): Promise<IteratorResult<DeploymentHealthInfo>> => {
        done = true;
        unsubscribe();
        wake?.();
        return { done: true, value: undefined };
      };
      return {
        [Symbol.asyncIterator]() {
          return this;
        },
        async next() {
          while (queue.length === 0 && !done) await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
          if (queue.length > 0) return { done: false, value: queue.shift()! };
          return { done: true, value: undefined };
        },
        return: finish,
        throw: async (error?: unknown) => {
          await finish();
          throw error;
        },
      };
    },
  };
}
