import { describe, expect, it } from "vitest";
import { scrubRecord, scrubRules, secretMarker } from "./scrub";

const rules = scrubRules({});
const scrub = (v: unknown, r = rules) => scrubRecord(v, r);
const S = "s3cr3t-VALUE-42xyz";

describe("scrubRecord", () => {
  it("returns a record without secrets as it is (the same object, nothing copied)", () => {
    const v = { type: "intercept", source_url: "https://api.example.com/v1/x?item=1", usage: { prompt_tokens: 5, max_tokens: 9 }, keys: ["monkey"], keyword: "k" };
    const r = scrub(v);
    expect(r.value).toBe(v);
    expect(r.removed).toEqual([]);
  });

  it("replaces values under secret names in any spelling with a marker naming what was removed", () => {
    const v = { a: { Authorization: S, "proxy-authorization": S, cookie: S, "Set-Cookie": S, "x-api-key": S, "api-key": S, "x-goog-api-key": S, api_key: S, access_token: S, token: S, password: S, secret: S },
      b: { integration_api_key: S, "integration-api-key": S, integrationApiKey: S, "integration_api_key ": S, INTEGRATION_API_KEY: S } };
    const r = scrub(v);
    expect(JSON.stringify(r.value)).not.toContain(S);
    expect((r.value as { a: Record<string, string> }).a.Authorization).toBe(secretMarker("Authorization"));
    expect((r.value as { b: Record<string, string> }).b.integrationApiKey).toBe("[secret removed: integrationapikey]");
    expect(r.removed).toContain("a.Authorization");
    expect(r.removed.length).toBe(17);
  });

  it("finds header names in pairs, HAR entries, raw header text and JSON text (double-encoded too)", () => {
    const inner = JSON.stringify({ headers: { Authorization: `Bearer ${S}` } });
    const v = {
      pairs: [["Authorization", `Bearer ${S}`], ["Accept", "x"]],
      har: [{ name: "Cookie", value: `sid=${S}` }, { name: "Accept", value: "y" }],
      raw: `GET / HTTP/1.1\r\nHost: x\r\nauthorization: Bearer ${S}\r\n\r\n`,
      text: JSON.stringify({ integration_api_key: S }),
      twice: JSON.stringify(inner),
    };
    const r = scrub(v);
    expect(JSON.stringify(r.value)).not.toContain(S);
    const out = r.value as typeof v;
    expect(out.pairs[1]).toEqual(["Accept", "x"]);
    expect(out.har[1]).toEqual({ name: "Accept", value: "y" });
    expect(out.raw).toBe(`GET / HTTP/1.1\r\nHost: x\r\nauthorization: [secret removed: authorization]\r\n\r\n`);
    expect(JSON.parse(out.text)).toEqual({ integration_api_key: "[secret removed: integration_api_key]" });
  });

  it("removes secret query and form parameters, `key` included, from URLs and text", () => {
    const v = {
      source_url: `https://maps.example.com/v1?q=oslo&key=${S}&api_key=${S}2&access_token=${S}3`,
      request_payload: { params: { key: S, q: "x" }, data: `grant_type=password&password=${S}` },
      body: { key: "PROJ-1" },
    };
    const r = scrub(v);
    expect(JSON.stringify(r.value)).not.toContain(S);
    const out = r.value as typeof v;
    expect(out.source_url).toBe("https://maps.example.com/v1?q=oslo&key=[secret removed: key]&api_key=[secret removed: api_key]&access_token=[secret removed: access_token]");
    expect(out.request_payload.params.q).toBe("x");
    expect(out.body).toEqual({ key: "PROJ-1" }); // a JSON "key" outside a query is data
    expect(r.removed).toContain("source_url (parameter key)");
  });

  it("keeps counts named like tokens and look-alikes; removes numbers only under an exact secret name", () => {
    const v = { "llm.token_count.prompt": 12, token_count: 3, password: 1234, api_key: true, secretary: "Ann", tokenizer: "bpe", note: null, password_reset: null };
    const out = scrub(v).value as Record<string, unknown>;
    expect(out).toMatchObject({ "llm.token_count.prompt": 12, token_count: 3, secretary: "Ann", tokenizer: "bpe", note: null, password_reset: null });
    expect(out.password).toBe("[secret removed: password]");
    expect(out.api_key).toBe("[secret removed: api_key]");
  });

  it("removes a secret's value wherever else it recurs in the record", () => {
    const v = { request_payload: { headers: { "X-Api-Key": S } }, evaluation: { indexed: `key was ${S}` } };
    const r = scrub(v);
    expect(JSON.stringify(r.value)).not.toContain(S);
    expect(r.removed).toContain("evaluation.indexed");
  });

  it("takes extra names from VERDICT_SENSITIVE_KEYS", () => {
    const v = { customer_ssn: "123-45-6789", CustomerIban: "NO93 8601 1117 947" };
    expect(scrub(v).value).toBe(v);
    const out = scrub(v, scrubRules({ VERDICT_SENSITIVE_KEYS: "ssn, iban" })).value;
    expect(out).toEqual({ customer_ssn: "[secret removed: customer_ssn]", CustomerIban: "[secret removed: customeriban]" });
  });

  it("keeps __proto__ a data key", () => {
    const v = JSON.parse(`{"__proto__": {"token": "${S}"}, "a": 1}`);
    const out = scrub(v).value as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(JSON.stringify(out)).not.toContain(S);
  });
});

describe("scrubRecord on hostile text", () => {
  it("stays fast on unbalanced brackets and long strings", () => {
    const started = performance.now();
    scrub({ a: `token: x ${"{".repeat(200_000)}` });
    scrub({ a: `password=${"[".repeat(100_000)}${"]".repeat(50_000)}` });
    // A guard against super-linear scanning (which takes minutes on these inputs), not a speed
    // measurement: the bound is loose so a loaded machine does not fail it.
    expect(performance.now() - started).toBeLessThan(10_000);
  }, 30_000);
  it("scrubs JSON inside prose and JSON text encoded twice", () => {
    const v = { m: `request was {"headers":{"Authorization":"Bearer ${S}"}} and more`, d: JSON.stringify(JSON.stringify({ "x-api-key": S })) };
    const out = scrub(v).value as typeof v;
    expect(JSON.stringify(out)).not.toContain(S);
    expect(out.m).toBe('request was {"headers":{"Authorization":"[secret removed: authorization]"}} and more');
    expect(JSON.parse(JSON.parse(out.d))).toEqual({ "x-api-key": "[secret removed: x-api-key]" });
  });
});

describe("bodyMayHoldSecret", () => {
  it("passes a body without secret words, flags one with a name in any form, and distrusts escaped letters", async () => {
    const { bodyMayHoldSecret } = await import("./scrub");
    expect(bodyMayHoldSecret(JSON.stringify({ records: [{ usage: { prompt_tokens: 1 }, url: "https://api.example.com/?q=monkey" }] }), rules)).toBe(false);
    for (const text of ['{"Authorization": 1}', '{"h": "a\\r\\nauthorization: x"}', '{"u": "https://x/?api%5Fkey=1"}', '{"integrationApiKey": 1}', '{"\\u0061uthorization": 1}']) {
      expect(bodyMayHoldSecret(text, rules), text).toBe(true);
    }
  });
});
