import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { isEventFeed } from "./is-event-feed.js";

describe("isEventFeed", () => {
  it("is true only for subscriptions that listen to feeds alone", () => {
    expect(isEventFeed(parse("subscription { deploymentHealthChanged { deployment } }"))).toBe(true);
    expect(isEventFeed(parse("subscription { __typename deploymentHealthChanged(model: \"fast\") { status } }"))).toBe(true);
    expect(isEventFeed(parse("subscription { completionStream(input: {}) { delta } }"))).toBe(false);
    expect(isEventFeed(parse("mutation { complete(input: {}) { id } }"))).toBe(false);
    expect(isEventFeed(parse("query { deploymentHealthChanged }"))).toBe(false);
    expect(isEventFeed(parse("subscription A { deploymentHealthChanged { status } } subscription B { completionStream(input: {}) { delta } }"), "B")).toBe(false);
    expect(isEventFeed(parse("subscription { ...F } fragment F on Subscription { deploymentHealthChanged { status } }"))).toBe(false);
  });
});
