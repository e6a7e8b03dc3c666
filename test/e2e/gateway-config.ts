/** A config for end-to-end tests: simulated deployments with known behaviour, no waiting. */
export const E2E_CONFIG = `
simulator: { seed: 7 }
models:
  - name: fast
    aliases: [gpt-4o-mini]
    retries: 1
    deployments:
      - id: sim-fast
        provider: simulator
        model: gpt-4o-mini
        simulate: { outputTokens: 12 }
  - name: flaky
    retries: 1
    deployments:
      - id: sim-broken
        provider: simulator
        model: gpt-4o-mini
        weight: 1000
        simulate: { failures: { serverError: 1 } }
      - id: sim-healthy
        provider: simulator
        model: gpt-4o-mini
        simulate: { outputTokens: 8 }
  - name: garbage
    retries: 0
    deployments:
      - id: sim-garbage
        provider: simulator
        model: gpt-4o-mini
        simulate: { failures: { garbage: 1 }, outputTokens: 40 }
  - name: truncating
    retries: 0
    deployments:
      - id: sim-truncate
        provider: simulator
        model: gpt-4o-mini
        simulate: { failures: { truncate: 1 }, outputTokens: 40 }
  - name: slow
    retries: 0
    deployments:
      - id: sim-slow
        provider: simulator
        model: gpt-4o-mini
        simulate: { tokensPerSecond: 20, outputTokens: 2000 }
  - name: tiny
    retries: 0
    deployments:
      - id: sim-tiny
        provider: simulator
        model: gpt-4o-mini
        contextWindow: 1000
router:
  backoff: { baseMs: 1, maxMs: 5 }
`;
