import type { CallsRepository } from "./calls-repository.js";
import type { UsageRepository } from "./usage-types.js";

/**
 * The calls and usage a virtual key may read: its own rows only. The key id is forced into the
 * SQL filter (whatever the caller's filter says), and a single call of another key reads as absent.
 */
export function scopeCallRepositories(
  repositories: { calls: CallsRepository; usage: UsageRepository },
  keyId: string,
): { calls: CallsRepository; usage: UsageRepository } {
  const { calls, usage } = repositories;
  return {
    calls: {
      listCalls: (options) => calls.listCalls({ ...options, filter: { ...options.filter, keyId } }),
      getCall: async (id) => {
        const call = await calls.getCall(id);
        return call && call.keyId === keyId ? call : null;
      },
      getAttempts: (refs) => calls.getAttempts(refs),
    },
    usage: {
      usage: (options) => usage.usage({ ...options, filter: { ...options.filter, keyId } }),
      countCalls: (filter) => usage.countCalls({ ...filter, keyId }),
    },
  };
}
