import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CompleteRoutedDocument, QualityThresholdsDocument, RecordFeedbackDocument } from "../gql/graphql.js";
import { loadLengthScorer } from "../helpers/length-scorer.js";
import { startTestGateway, type TestGateway } from "../helpers/start-test-gateway.js";
import { EASY, HARD, QUALITY_CONFIG } from "./quality-routing-config.js";

// A quality group that learns from feedback, beside QUALITY_CONFIG's fixed ones.
const CONFIG = QUALITY_CONFIG.replace(
  "\nrouter:",
  `
  - name: learning
    aliases: [learner]
    quality: { tiers: [cheap, strong], threshold: 0.5, adapt: { step: 0.1, min: 0.3, max: 0.6 } }
router:`,
);
/** Scores 0.45 with the length scorer: below the configured threshold. */
const MIDDLING = "x".repeat(45);

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway(CONFIG, { loadScorer: loadLengthScorer });
});
afterAll(async () => {
  await gateway?.close();
});

async function complete(model: string, content: string) {
  const result = await gateway.execute(CompleteRoutedDocument, { input: { model, messages: [{ role: "USER" as const, content }] } });
  expect(result.errors).toBeUndefined();
  return result.data!.complete;
}

async function feedback(callId: string, score: number) {
  const result = await gateway.execute(RecordFeedbackDocument, { callId, score });
  expect(result.errors).toBeUndefined();
}

async function thresholds(name: string) {
  const result = await gateway.execute(QualityThresholdsDocument, {});
  expect(result.errors).toBeUndefined();
  return result.data!.models.find((group) => group.name === name)!;
}

describe("feedback adapts a quality group's threshold (quality.adapt)", () => {
  it("lowers the threshold after a bad cheap answer, routes the next such prompt up, and shows it in models", async () => {
    const first = await complete("learner", MIDDLING);
    expect(first.routing).toMatchObject({ tier: "cheap", threshold: 0.5 });
    await feedback(first.id, 0);
    // Down by step 0.1, but no lower than the prompt's score: that prompt now goes up.
    expect(await thresholds("learning")).toEqual({ name: "learning", thresholds: [0.45], configuredThresholds: [0.5] });
    const again = await complete("learning", MIDDLING);
    expect(again.routing).toMatchObject({ tier: "strong", threshold: 0.45, reason: "score 0.45 ≥ 0.45" });

    // A good strong answer to a prompt just above the threshold raises it, by a quarter step.
    await feedback(again.id, 1);
    expect((await thresholds("learning")).thresholds).toEqual([0.475]);
  });

  it("stays within its bounds however many bad scores arrive, and leaves groups without adapt alone", async () => {
    const easy = await complete("learning", EASY);
    expect(easy.routing).toMatchObject({ tier: "cheap" });
    for (let i = 0; i < 5; i++) await feedback(easy.id, 0);
    expect((await thresholds("learning")).thresholds).toEqual([0.3]);
    expect((await complete("learning", EASY)).routing).toMatchObject({ tier: "strong", threshold: 0.3 });

    const fixed = await complete("auto", EASY);
    await feedback(fixed.id, 0);
    expect(await thresholds("auto")).toEqual({ name: "auto", thresholds: [0.5], configuredThresholds: [0.5] });
    const hard = await complete("learning", HARD);
    expect(hard.routing).toMatchObject({ tier: "strong" });
  });
});
