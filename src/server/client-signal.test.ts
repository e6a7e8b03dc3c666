import { EventEmitter } from "node:events";
import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { clientSignal } from "./client-signal.js";

const socket = (destroyed = false) => Object.assign(new EventEmitter(), { destroyed });
const requestOn = (s: EventEmitter) => ({ socket: s }) as unknown as IncomingMessage;

describe("clientSignal", () => {
  it("is one signal for every request of a connection, aborted when the connection closes", () => {
    const connection = socket();
    const first = clientSignal(requestOn(connection));
    expect(clientSignal(requestOn(connection))).toBe(first);
    expect(first.aborted).toBe(false);
    connection.emit("close");
    expect(first.aborted).toBe(true);
    expect(connection.listenerCount("close")).toBe(0);
  });

  it("is another connection's own", () => {
    const a = clientSignal(requestOn(socket()));
    const b = socket();
    expect(clientSignal(requestOn(b))).not.toBe(a);
    b.emit("close");
    expect(a.aborted).toBe(false);
  });

  it("is aborted already for a connection that closed", () => {
    expect(clientSignal(requestOn(socket(true))).aborted).toBe(true);
  });
});
