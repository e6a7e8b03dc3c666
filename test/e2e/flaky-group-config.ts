/**
 * One group of two simulated deployments: `down` (heavily weighted, always answers 500) and `up`,
 * with a cooldown after 2 failures — the health tests' common ground. `extra` is appended (e.g. a
 * `state:` section).
 */
export const flakyGroupConfig = (extra = ""): string => `
models:
  - name: main
    retries: 1
    deployments:
      - id: down
        provider: simulator
        model: gpt-4o-mini
        weight: 1000
        simulate: { failures: { serverError: 1 } }
      - id: up
        provider: simulator
        model: gpt-4o-mini
router:
  cooldown: { failures: 2, windowMs: 60000, durationMs: 60000 }
${extra}`;
