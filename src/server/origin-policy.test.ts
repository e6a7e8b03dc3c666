import { describe, expect, it } from "vitest";
import { createOriginPolicy, isLoopbackHost, isLoopbackHostHeader, isLoopbackOrigin } from "./origin-policy.js";

describe("isLoopbackHost", () => {
  it("knows the names and addresses only this machine reaches", () => {
    for (const host of ["localhost", "LOCALHOST", "app.localhost", "localhost.", "127.0.0.1", "127.10.0.3", "::1", "[::1]", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1"]) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    for (const host of ["0.0.0.0", "::", "[::]", "10.0.0.1", "192.168.1.20", "::ffff:10.0.0.1", "localhost.evil.example", "example.com", "128.0.0.1"]) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });
});

describe("isLoopbackHostHeader", () => {
  it("reads the host out of a Host header with or without a port", () => {
    for (const host of ["localhost:4000", "127.0.0.1", "[::1]:4000", "[::1]", undefined]) expect(isLoopbackHostHeader(host), String(host)).toBe(true);
    for (const host of ["evil.example:4000", "10.0.0.2:4000", "localhost.evil.example", "", "a b"]) expect(isLoopbackHostHeader(host), host).toBe(false);
  });
});

describe("isLoopbackOrigin", () => {
  it("takes http(s) origins of loopback hosts on any port, nothing else", () => {
    expect(isLoopbackOrigin("http://localhost:5173")).toBe(true);
    expect(isLoopbackOrigin("https://127.0.0.1")).toBe(true);
    expect(isLoopbackOrigin("http://[::1]:4000")).toBe(true);
    expect(isLoopbackOrigin("null")).toBe(false);
    expect(isLoopbackOrigin("file://")).toBe(false);
    expect(isLoopbackOrigin("chrome-extension://abc")).toBe(false);
    expect(isLoopbackOrigin("http://127.0.0.1.nip.io")).toBe(false);
  });
});

describe("createOriginPolicy", () => {
  const host = "127.0.0.1:4000";

  it("in open dev mode without a list: loopback origins and requests without Origin", () => {
    const allowed = createOriginPolicy({ openMode: true, sameOrigin: true });
    expect(allowed(undefined, host)).toBe(true);
    expect(allowed("http://localhost:3000", host)).toBe(true);
    expect(allowed("http://evil.example", host)).toBe(false);
  });

  it("with a master key and no list: any origin", () => {
    expect(createOriginPolicy({ openMode: false, sameOrigin: true })("http://evil.example", host)).toBe(true);
  });

  it("with a list: exactly those origins, compared after normalising case and default ports", () => {
    const allowed = createOriginPolicy({ openMode: true, sameOrigin: false, allowedOrigins: ["https://App.example.com", "http://localhost:5173"] });
    expect(allowed("https://app.example.com", host)).toBe(true);
    expect(allowed("https://app.example.com:443", host)).toBe(true);
    expect(allowed("http://localhost:5173", host)).toBe(true);
    expect(allowed("http://localhost:3000", host)).toBe(false);
    expect(allowed("https://app.example.com.evil.example", host)).toBe(false);
    expect(allowed(undefined, host)).toBe(true);
  });

  it("lets the gateway's own pages through (Origin naming the Host) when same-origin is trusted", () => {
    const list = { allowedOrigins: ["https://app.example.com"], openMode: false };
    const trusted = createOriginPolicy({ ...list, sameOrigin: true });
    expect(trusted("https://gateway.example.com", "gateway.example.com")).toBe(true);
    expect(trusted("http://gateway.example.com:4000", "Gateway.example.com:4000")).toBe(true);
    expect(trusted("https://gateway.example.com", "gateway.example.com:4000")).toBe(false);
    expect(trusted("https://evil.example", "gateway.example.com")).toBe(false);
    expect(createOriginPolicy({ ...list, sameOrigin: false })("https://gateway.example.com", "gateway.example.com")).toBe(false);
  });
});
