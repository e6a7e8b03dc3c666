/** Simulated, priced deployments for the governance tests: costs are exact and known. */
export const GOVERNANCE_CONFIG = `
simulator: { seed: 3 }
models:
  - name: fast
    aliases: [gpt-4o-mini]
    retries: 0
    deployments:
      - id: sim-fast
        provider: simulator
        model: gpt-4o-mini
        pricing: { inputPerMTok: 1, outputPerMTok: 2 }
        simulate: { outputTokens: 20 }
  - name: smart
    retries: 0
    deployments:
      - id: sim-smart
        provider: simulator
        model: gpt-4o
        pricing: { inputPerMTok: 5, outputPerMTok: 10 }
        simulate: { outputTokens: 20 }
  - name: slow
    retries: 0
    deployments:
      - id: sim-slow
        provider: simulator
        model: gpt-4o-mini
        pricing: { inputPerMTok: 1, outputPerMTok: 2 }
        simulate: { tokensPerSecond: 40, outputTokens: 400 }
router:
  backoff: { baseMs: 1, maxMs: 5 }
`;

/** One call of "hi" with maxTokens 20 on `fast`: 5 prompt tokens × 1 µUSD + 20 completion tokens × 2 µUSD. */
export const CALL_COST_USD = 0.000045;

/** GOVERNANCE_CONFIG with its state in a Redis, under `keyPrefix`. */
export const governanceConfigWithRedis = (url: string, keyPrefix: string): string => `${GOVERNANCE_CONFIG}
state:
  redis:
    url: ${url}
    keyPrefix: "${keyPrefix}"
`;

export const MASTER_KEY = "test-master-key-0123456789abcdef";

export const ask = (model: string, extra: { maxTokens?: number; user?: string; content?: string } = {}) => ({
  input: {
    model,
    messages: [{ role: "USER" as const, content: extra.content ?? "hi" }],
    ...(extra.maxTokens !== undefined ? { maxTokens: extra.maxTokens } : {}),
    ...(extra.user !== undefined ? { user: extra.user } : {}),
  },
});
