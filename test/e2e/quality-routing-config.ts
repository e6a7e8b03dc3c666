/** Two simulated tiers with known answers, and quality and cascade groups over them. */
export const QUALITY_CONFIG = `
simulator: { seed: 3 }
models:
  - name: cheap
    retries: 0
    deployments:
      - id: sim-cheap
        provider: simulator
        model: cheap-model
        pricing: { inputPerMTok: 0.1, outputPerMTok: 0.4 }
        simulate: { reply: "Paris." }
  - name: strong
    retries: 0
    deployments:
      - id: sim-strong
        provider: simulator
        model: strong-model
        pricing: { inputPerMTok: 5, outputPerMTok: 15 }
        simulate: { reply: "The capital of France is Paris, on the Seine." }
  - name: refusing
    retries: 0
    deployments:
      - id: sim-refusing
        provider: simulator
        model: cheap-model
        pricing: { inputPerMTok: 0.1, outputPerMTok: 0.4 }
        simulate: { reply: "I'm sorry, but I can't help with that." }
  - name: jsonish
    retries: 0
    deployments:
      - id: sim-json
        provider: simulator
        model: cheap-model
        pricing: { inputPerMTok: 0.1, outputPerMTok: 0.4 }
        simulate: { reply: '{"city": "Paris"}' }
  - name: down
    retries: 0
    deployments:
      - id: sim-down
        provider: simulator
        model: strong-model
        pricing: { inputPerMTok: 5, outputPerMTok: 15 }
        simulate: { failures: { serverError: 1 } }
  - name: auto
    aliases: [router-auto]
    quality: { tiers: [cheap, strong], threshold: 0.5 }
  - name: auto-share
    quality: { tiers: [cheap, strong], strongShare: 0.3 }
  - name: three
    quality: { tiers: [cheap, jsonish, strong], threshold: [0.3, 0.6] }
  - name: careful
    cascade:
      tiers: [jsonish, strong]
      checks: [{ minLength: 5 }, { regex: "^\\\\{" }, { jsonSchema: { type: object, required: [city] } }, { refusal: true }]
  - name: short-cascade
    cascade: { tiers: [cheap, strong], checks: [{ minLength: 20 }] }
  - name: refusal-cascade
    cascade: { tiers: [refusing, strong], checks: [{ refusal: true }] }
  - name: regex-cascade
    cascade: { tiers: [cheap, strong], checks: [{ regex: "^\\\\{" }] }
  - name: schema-cascade
    cascade: { tiers: [cheap, strong], checks: [{ jsonSchema: { type: object, required: [city] } }] }
  - name: doomed-cascade
    cascade: { tiers: [cheap, down], checks: [{ minLength: 20 }] }
  - name: score-cascade
    cascade: { tiers: [cheap, strong], checks: [{ minLength: 1 }, { score: 0.5 }] }
router:
  backoff: { baseMs: 1, maxMs: 5 }
`;

/** Scores below 0.5 with the length scorer (under 50 characters). */
export const EASY = "What is the capital of France?";
/** Scores 0.8 with the length scorer (80 characters). */
export const HARD = "Explain, step by step, why the capital of France ended up being Paris, please!!!";
