import { describe, expect, it } from "vitest";
import { checkTrustGate, normalizeUrlForTrust, untrustedFromEvaluatorErrors } from "./trust-gate";

describe("normalizeUrlForTrust", () => {
  it("lowercases scheme and host, drops the default port, the query and trailing slashes", () => {
    expect(normalizeUrlForTrust("HTTPS://API.Example.COM:443/v1/Quote/?symbol=ACME")).toBe("https://api.example.com/v1/Quote");
    expect(normalizeUrlForTrust("http://example.com:80/")).toBe("http://example.com");
    expect(normalizeUrlForTrust("http://example.com:8080/a")).toBe("http://example.com:8080/a");
    expect(normalizeUrlForTrust("https://example.com:80/a")).toBe("https://example.com:80/a");
    expect(normalizeUrlForTrust("  ")).toBe("");
  });
});

describe("checkTrustGate", () => {
  const weather = "https://api.open-meteo.com/v1/forecast?latitude=1";
  it("passes when every claim URL is in the snapshot (query ignored)", () => {
    const g = checkTrustGate([weather], ["https://API.open-meteo.com/v1/forecast/"]);
    expect(g).toMatchObject({ checked: true, passed: true, missing: [], errors: [] });
  });
  it("lists URLs missing from the snapshot with the evaluator's message", () => {
    const g = checkTrustGate(["https://api.openai.com/v1/chat/completions", weather, "https://api.openai.com/v1/chat/completions"], [weather]);
    expect(g.missing).toEqual(["https://api.openai.com/v1/chat/completions"]);
    expect(g.errors).toEqual(["handoff has endpoints missing from trusted snapshot: https://api.openai.com/v1/chat/completions"]);
  });
  it("skips the snapshot check when the snapshot is empty, as the evaluator does", () => {
    expect(checkTrustGate([weather], [])).toMatchObject({ checked: false, passed: true });
  });
  it("carries the live registry's verdict from the evaluator's untrusted message", () => {
    const untrusted = untrustedFromEvaluatorErrors(["handoff has untrusted endpoints: https://a.example/x/, https://b.example/y", "other"]);
    expect(untrusted).toEqual(["https://a.example/x", "https://b.example/y"]);
    const g = checkTrustGate(["https://a.example/x"], ["https://a.example/x"], untrusted);
    expect(g).toMatchObject({ passed: false, untrusted: ["https://a.example/x"], errors: ["handoff has untrusted endpoints: https://a.example/x"] });
  });
});
