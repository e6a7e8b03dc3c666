import { EventEmitter } from "node:events";
import type { ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { InFlightAnswers } from "./in-flight-answers.js";

const answer = (name: string): ServerResponse => Object.assign(new EventEmitter(), { name }) as unknown as ServerResponse;

describe("InFlightAnswers", () => {
  it("holds the answers added until they are taken out or close, whichever comes first", () => {
    const inFlight = new InFlightAnswers();
    const [a, b, c] = [answer("a"), answer("b"), answer("c")];
    for (const response of [a, b, c]) inFlight.add(response);
    expect(inFlight.size).toBe(3);
    expect(new Set(inFlight)).toEqual(new Set([a, b, c]));
    inFlight.delete(b); // from the middle
    expect(new Set(inFlight)).toEqual(new Set([a, c]));
    b.emit("close"); // taken out already: a no-op
    inFlight.delete(b);
    expect(inFlight.size).toBe(2);
    c.emit("close"); // the one added last
    a.emit("close");
    expect(inFlight.size).toBe(0);
    expect([...inFlight]).toEqual([]);
    inFlight.delete(a);
    expect(inFlight.size).toBe(0);
  });
});
