import { describe, expect, it } from "vitest";
import { AnswerCheckError, compileAnswerCheck, firstFailure, isRefusal, type AnswerCheck } from "./answer-checks.js";
import { chooseTier, thresholdProblem } from "./choose-tier.js";

const compiled = (spec: Parameters<typeof compileAnswerCheck>[0]) => compileAnswerCheck(spec)!;

describe("answer checks", () => {
  it("minLength counts characters of the answer", () => {
    expect(compiled({ minLength: 5 }).test("12345")).toBeUndefined();
    expect(compiled({ minLength: 5 }).test("1234")).toBe("4 < 5 characters");
  });

  it("regex must match the answer text; a bad one is a typed error naming the field", () => {
    expect(compiled({ regex: "^\\{" }).test('{"a":1}')).toBeUndefined();
    expect(compiled({ regex: "^\\{" }).test("no")).toBe("the answer does not match /^\\{/");
    const error = (() => {
      try {
        compileAnswerCheck({ regex: "[a-" });
      } catch (e) {
        return e;
      }
    })();
    expect(AnswerCheckError.isInstance(error) && error.field).toBe("regex");
  });

  it("jsonSchema parses the answer and validates it", () => {
    const check = compiled({ jsonSchema: { type: "object", required: ["city"], properties: { city: { type: "string" } } } });
    expect(check.test('{"city":"Paris"}')).toBeUndefined();
    expect(check.test("Paris")).toBe("the answer is not JSON");
    expect(check.test('{"town":"Paris"}')).toBe("the answer does not match the schema: data must have required property 'city'");
    expect(() => compileAnswerCheck({ jsonSchema: { type: "objekt" } })).toThrow(/invalid JSON schema/);
    // Two schemas with one $id do not clash.
    expect(() => [compileAnswerCheck({ jsonSchema: { $id: "x", type: "object" } }), compileAnswerCheck({ jsonSchema: { $id: "x", type: "string" } })]).not.toThrow();
  });

  it("refusal reads how the answer opens", () => {
    for (const text of ["I'm sorry, but I can't help with that.", "I cannot assist with this request.", "  I can’t do that.", "As an AI, I won't…", "Sorry, I can't help.", "I am unable to comply.", "Unfortunately, I cannot share that."]) {
      expect(isRefusal(text), text).toBe(true);
    }
    for (const text of ["Paris.", "I can help with that: Paris.", "The answer is: I cannot be sure, but likely Paris.", "Sorry for the wait — here it is."]) {
      expect(isRefusal(text), text).toBe(false);
    }
    expect(compileAnswerCheck({ refusal: false })).toBeUndefined();
    expect(compileAnswerCheck({ score: 0.7 })).toBeUndefined();
  });

  it("firstFailure names the first failing check", () => {
    const checks: AnswerCheck[] = [compiled({ minLength: 2 }), compiled({ regex: "^a" }), compiled({ refusal: true })];
    expect(firstFailure(checks, "abc")).toBeUndefined();
    expect(firstFailure(checks, "x")).toBe("check minLength failed: 1 < 2 characters");
    expect(firstFailure(checks, "bcd")).toBe("check regex failed: the answer does not match /^a/");
  });
});

describe("chooseTier", () => {
  it("goes up a tier for each threshold the score reaches", () => {
    expect(chooseTier([0.5], 0.49)).toEqual({ index: 0, threshold: 0.5, reason: "score 0.49 < 0.5" });
    expect(chooseTier([0.5], 0.5)).toEqual({ index: 1, threshold: 0.5, reason: "score 0.5 ≥ 0.5" });
    expect(chooseTier([0.4, 0.8], 0.62)).toEqual({ index: 1, threshold: 0.4, reason: "score 0.62 ≥ 0.4 and < 0.8" });
    expect(chooseTier([0.4, 0.8], 0.9).index).toBe(2);
    expect(chooseTier([0.4, 0.8], 0.123456).reason).toBe("score 0.123 < 0.4");
  });

  it("says why thresholds do not fit the tiers", () => {
    expect(thresholdProblem([0.5], 2)).toBeUndefined();
    expect(thresholdProblem([0.5], 3)).toBe("3 tiers need 2 thresholds (one per boundary), got 1");
    expect(thresholdProblem([0.6, 0.2], 3)).toBe("thresholds go up from the cheapest boundary to the strongest");
    expect(thresholdProblem([2], 2)).toBe("a threshold is a score in [0, 1]");
  });
});
