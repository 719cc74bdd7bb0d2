// Hostile input: every strange request gets a 2xx or a 4xx with the error envelope, never
// a 5xx or a hang; valid neighbours in the same batch are stored; text is stored verbatim.
// Cases are generated from tables below plus fast-check properties; the count is printed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { POST as ingest } from "@/app/api/v1/ingest/route";
import { GET as health } from "@/app/api/health/route";
import { errorEnvelopeSchema } from "@/lib/http/errors";
import { MAX_JSON_DEPTH } from "@/lib/api-contract/ingest";
import type { Db } from "@/lib/db/client";
import { DIALECTS, useFreshDatabase } from "../support/databases";
import { noParams, TEST_KEY, withParams } from "../support/http";
import { apiRoutes, fillPattern, type ApiRoute } from "../support/api-routes";
import * as f from "../fixtures/records";

type Rec = Record<string, unknown>;
const clone = <T,>(v: T): T => structuredClone(v);
const TEMPLATES: Record<string, Rec> = {
  intercept: f.genALeakedLlmCall,
  policy_decision: f.edgePolicyDecision,
  handoff: f.handoffRecord,
};
const REQUIRED: Record<string, string[]> = {
  intercept: ["type", "agent_id", "action_name", "source_url", "created_at"],
  policy_decision: ["type", "created_at", "context", "callback_result"],
  handoff: ["type", "created_at", "payload"],
};

/** Values that must be refused in a field, per record type. */
const WRONG: Record<string, Record<string, unknown[]>> = {
  intercept: {
    agent_id: [42, true, [], {}, null, ""],
    action_name: [42, false, ["a"], { a: 1 }, null, ""],
    source_url: [42, true, [], {}, null, ""],
    created_at: [1700000000, true, [], {}, null, ""],
    request_payload: ["{not json", "", "[1,", "NaN"],
    raw_response: ["{not json", "undefined", "'single'"],
    response_hash: [42, true, [], {}],
    call_ref: [42, "", true, {}],
    run_id: [42, "", {}, []],
    intercept_index: ["1", 1.5, 2 ** 53, -(2 ** 53), true, {}],
    id: [1.5, true, [], {}, "", 2 ** 53 + 2],
    source: [42, "", null, {}],
  },
  policy_decision: {
    context: [42, "x", [], null, {}, { tool_call: 5 }, { tool_call: { tool_name: "" } }],
    callback_result: [42, "x", {}, { passed: "yes" }, null],
    decision: [42, "x", { action: "MAYBE" }, { action: "PASS", confirmation: "perhaps" }],
    agent_id: [42, "", true],
    created_at: [0, false, "", "now"],
  },
  handoff: {
    payload: [42, "x", [], null, { claims: "x" }, { claims: [42] }, { claims: [{ call_ref: "" , claimed_values: [] }] }],
    evaluation: [{ outcome: "MAYBE" }, 42, "x", { outcome: "PASS", per_claim: 3 }],
    agent_id: [42, "", true, []],
    created_at: [1, "", "tomorrow"],
  },
};

/** String fields (dotted path) of each template, for text and size cases. */
const STRING_FIELDS: Record<string, string[]> = {
  intercept: ["agent_id", "action_name", "source_url", "response_hash", "call_ref", "run_id", "source", "id"],
  policy_decision: ["agent_id", "context.tool_call.tool_name", "context.policy.name", "callback_result.message", "decision.reason"],
  handoff: ["agent_id", "payload.task", "payload.reasoning", "payload.claims.0.action_name", "payload.claims.0.json_path"],
};

const HOSTILE_TEXT = [
  "'; DROP TABLE intercepts; --",
  '" OR 1=1 --',
  "Robert'); DELETE FROM handoffs WHERE ('1'='1",
  "<script>window.__xss=1</script>",
  "<img src=x onerror=window.__xss=1>",
  "\"><svg/onload=alert(1)>",
  "javascript:alert(1)",
  "{{7*7}} ${7*7} #{7*7}",
  "../../../../etc/passwd",
  "%00%27%22",
  "\\'\\\"\\\\",
  "emoji 🧪 and RTL \u202Eevil\u202C",
];

const BAD_DATES = [
  "", "now", "yesterday", "2026", "2026-11", "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z", "2026-02-30T00:00:00Z",
  "2025-02-29T00:00:00Z", "2026-11-20T24:00:00Z", "2026-11-20T23:60:00Z", "2026-11-20T23:59:60Z", "0000-01-01T00:00:00Z",
  "1969-12-31T23:59:59Z", "2200-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "+275760-09-13T00:00:00Z", "-000001-01-01T00:00:00Z",
  "2026-11-20T10:00:00+25:00", "2026-11-20T10:00:00+05:99", "Tue, 20 Nov 2026 10:00:00 GMT", "20/11/2026 10:00",
  "2026-11-20T10:00:00ZZ", "２０２６-11-20T10:00:00Z", "2026-11-20T10:00:00 America/New_York", "1700000000",
  "2026-11-20T10:00:00.Z", "T10:00:00", "2026-11-20T10", "x".repeat(65), "2026-11-20\u0000T10:00:00Z",
];
/** Odd but valid: [input, stored created_at]. */
const ODD_DATES: [string, string][] = [
  ["2026-11-20 10:00:00", "2026-11-20T10:00:00.000000Z"],
  ["2026-11-20T10:00", "2026-11-20T10:00:00.000000Z"],
  ["2026-11-20t10:00:00z", "2026-11-20T10:00:00.000000Z"],
  ["2026-11-20T10:00:00+0530", "2026-11-20T04:30:00.000000Z"],
  ["2026-11-20T10:00:00-08", "2026-11-20T18:00:00.000000Z"],
  ["2026-11-20T10:00:00,5Z", "2026-11-20T10:00:00.500000Z"],
  ["2026-11-20T10:00:00.123456789Z", "2026-11-20T10:00:00.123456Z"],
  ["  2026-11-20T10:00:00Z  ", "2026-11-20T10:00:00.000000Z"],
  ["1970-01-01T00:00:00Z", "1970-01-01T00:00:00.000000Z"],
  ["2199-12-31T23:59:59.999999Z", "2199-12-31T23:59:59.999999Z"],
  ["2024-02-29T12:00:00Z", "2024-02-29T12:00:00.000000Z"],
];

const UNKNOWN_TYPES: unknown[] = ["Intercept", "intercepts", "INTERCEPT", "", " intercept", "span", "__proto__", "constructor", "toString", null, 5, ["intercept"], { intercept: true }];

const INVALID_UTF8: number[][] = [[0xc3, 0x28], [0xa0, 0xa1], [0xe2, 0x28, 0xa1], [0xf0, 0x28, 0x8c, 0xbc], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xff], [0xfe, 0xfe], [0xf8, 0x88, 0x80, 0x80, 0x80]];

const NDJSON_BAD_LINES = [
  '{"a": NaN}', "NaN", "Infinity", "-Infinity", '{"n": Infinity}', "undefined", "{'single': 1}", '{"a": 1,}', "[1, 2", "}",
  '{"type": "intercept", "created_at": 2026-11-20}', "\u0000",
];

const PROTO_KEYS = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf"];

function setPath(obj: Rec, dotted: string, value: unknown) {
  const parts = dotted.split(".");
  let o = obj as Record<string, unknown>;
  for (const p of parts.slice(0, -1)) o = o[p] as Record<string, unknown>;
  o[parts.at(-1)!] = value;
}
function getPath(obj: unknown, dotted: string): unknown {
  return dotted.split(".").reduce<unknown>((o, p) => (o as Record<string, unknown> | undefined)?.[p], obj);
}
const nested = (levels: number, leaf: unknown = 1): unknown => {
  let v = leaf;
  for (let i = 0; i < levels; i++) v = i % 2 ? [v] : { k: v };
  return v;
};
const nestedText = (levels: number) => "[".repeat(levels) + "1" + "]".repeat(levels);

describe.each(DIALECTS)("hostile input on %s", (dialect) => {
  let db: Db;
  let requests = 0;
  let seq = 0;
  const uid = (p: string) => `${p}-${dialect}-${++seq}`;

  beforeAll(async () => {
    process.env.VERDICT_API_KEY = TEST_KEY;
    ({ db } = await useFreshDatabase(dialect));
  });
  afterAll(() => {
    console.log(`[hostile-input] ${dialect}: ${requests} hostile requests, none answered 5xx`);
  });

  /** Sends raw bytes or text; every answer must be 2xx, or 4xx with the envelope. */
  async function send(body: string | Uint8Array, contentType = "application/json", key: string | null = TEST_KEY) {
    requests++;
    const headers: Record<string, string> = { "content-type": contentType };
    if (key) headers.authorization = `Bearer ${key}`;
    const res = await ingest(new Request("http://localhost/api/v1/ingest", { method: "POST", headers, body: body as BodyInit }), noParams);
    const json = await res.json();
    expect(res.status, JSON.stringify(json).slice(0, 500)).toBeLessThan(500);
    if (res.status >= 400) expect(errorEnvelopeSchema.safeParse(json).success, JSON.stringify(json).slice(0, 300)).toBe(true);
    return { status: res.status, json };
  }

  function neighbour() {
    return { ...clone(f.genAToolCall), id: uid("neighbour"), source: "hostile-neighbours" };
  }
  async function neighbourStored(id: string) {
    return (await db.intercept.count({ where: { source: "hostile-neighbours", sourceId: id } })) === 1;
  }

  /** Sends [hostile, valid neighbour] as text; the neighbour must be stored whatever happens. */
  async function sendWithNeighbour(recordText: string) {
    const n = neighbour();
    const { status, json } = await send(`{"records": [${recordText}, ${JSON.stringify(n)}]}`);
    expect([200, 207]).toContain(status);
    expect(await neighbourStored(n.id)).toBe(true);
    return json as { accepted: number; duplicates: number; rejected: { index: number; errors: { path: string; message: string }[] }[] };
  }
  async function expectRejected(record: unknown, pathPrefix = "records.0") {
    const body = await sendWithNeighbour(typeof record === "string" ? record : JSON.stringify(record));
    expect(body.rejected.map((r) => r.index)).toEqual([0]);
    expect(body.rejected[0].errors.length).toBeGreaterThan(0);
    expect(body.rejected[0].errors.some((e) => e.path.startsWith(pathPrefix)), JSON.stringify(body.rejected[0].errors)).toBe(true);
    return body;
  }
  async function expectStored(record: unknown) {
    const body = await sendWithNeighbour(typeof record === "string" ? record : JSON.stringify(record));
    expect(body.rejected, JSON.stringify(body.rejected)).toEqual([]);
    expect(body.accepted).toBe(2);
  }
  const fresh = (type: string, source = "hostile"): Rec => ({ ...clone(TEMPLATES[type]), id: uid(type), source });

  describe("wrong types and empty strings", () => {
    const cases = Object.entries(WRONG).flatMap(([type, fields]) =>
      Object.entries(fields).flatMap(([field, values]) => values.map((value) => ({ type, field, value }))),
    );
    it.each(cases)("$type.$field = $value is refused at that field", async ({ type, field, value }) => {
      const r = fresh(type);
      r[field] = value;
      await expectRejected(r, `records.0.${field}`);
    });
  });

  describe("missing fields", () => {
    const cases = Object.entries(REQUIRED).flatMap(([type, fields]) => fields.map((field) => ({ type, field })));
    it.each(cases)("$type without $field is refused", async ({ type, field }) => {
      const r = fresh(type);
      delete r[field];
      await expectRejected(r, `records.0.${field}`);
    });
  });

  describe("extra fields are kept as data; prototype keys pollute nothing; __proto__ is refused, not dropped", () => {
    const cases = Object.keys(TEMPLATES).flatMap((type) =>
      PROTO_KEYS.flatMap((key) => [
        { type, key, where: "top" },
        { type, key, where: "nested" },
      ]),
    );
    it.each(cases)("$type with $where key $key", async ({ type, key, where }) => {
      const r = fresh(type);
      const marker = `kept-${uid("m")}`;
      let text = JSON.stringify(r);
      const extra = `${JSON.stringify(key)}: {"polluted": ${JSON.stringify(marker)}}`;
      if (where === "top") text = text.slice(0, -1) + `, ${extra}}`;
      else {
        // inside a free-form JSON part of the record: the response, the policy metadata, the payload
        const anchor = { intercept: '"raw_response":{', policy_decision: '"grounding":{', handoff: '"payload":{' }[type]!;
        expect(text).toContain(anchor);
        text = text.replace(anchor, `${anchor}${extra}, `);
      }
      const noPollution = () => {
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(Object.prototype.hasOwnProperty.call(Object.prototype, "polluted")).toBe(false);
      };
      if (key === "__proto__") {
        // JSON.parse keeps it as data, but any object copy would turn it into a prototype and lose it
        const body = await expectRejected(text);
        expect(body.rejected[0].errors[0].message).toContain("__proto__");
        noPollution();
        return;
      }
      await expectStored(text);
      noPollution();
      const table = { intercept: "intercepts", policy_decision: "policy_decisions", handoff: "handoffs" }[type]!;
      const rows = await db.$queryRawUnsafe<Rec[]>(`SELECT * FROM "${table}" WHERE "source_id" = ${dialect === "sqlite" ? "?" : "$1"}`, String(r.id));
      expect(rows).toHaveLength(1);
      expect(JSON.stringify(rows[0], (_, v) => (typeof v === "bigint" ? String(v) : v))).toContain(marker); // nothing lost
    });
  });

  describe("SQL and HTML/script text in every string field is stored verbatim", () => {
    const cases = Object.entries(STRING_FIELDS).flatMap(([type, fields]) => fields.flatMap((field) => HOSTILE_TEXT.map((text) => ({ type, field, text }))));
    it.each(cases)("$type.$field = $text", async ({ type, field, text }) => {
      const r = fresh(type, field === "source" ? text : "hostile-text");
      if (field === "id") r.id = `${text}-${uid("id")}`;
      else if (field !== "source") setPath(r, field, text);
      await expectStored(r);
      if (type === "intercept") {
        const row = await db.intercept.findFirstOrThrow({ where: { source: r.source as string, sourceId: String(r.id) } });
        const column = { agent_id: row.agentId, action_name: row.actionName, source_url: row.sourceUrl, response_hash: row.responseHash, call_ref: row.callRef, run_id: row.runId, source: row.source, id: row.sourceId }[field];
        expect(column).toBe(getPath(r, field === "id" ? "id" : field));
      } else {
        const table = type === "handoff" ? "handoffs" : "policy_decisions";
        const rows = await db.$queryRawUnsafe<Rec[]>(`SELECT * FROM "${table}" WHERE "source" = ${dialect === "sqlite" ? "?" : "$1"} AND "source_id" = ${dialect === "sqlite" ? "?" : "$2"}`, r.source, String(r.id));
        expect(rows).toHaveLength(1);
        // the stored record, rebuilt from its columns, holds the text exactly where it was sent
        const row = rows[0];
        const stored =
          type === "handoff"
            ? { agent_id: row.agent_id, payload: JSON.parse(row.payload as string) }
            : { agent_id: row.agent_id, context: JSON.parse(row.context as string), callback_result: JSON.parse(row.callback_result as string), decision: JSON.parse(row.decision as string) };
        expect(getPath(stored, field)).toBe(text);
      }
    });
    it("left the tables in place", async () => {
      expect(await db.intercept.count()).toBeGreaterThan(0);
      expect(await db.handoff.count()).toBeGreaterThan(0);
    });
  });

  describe("1 MB strings in every string field", () => {
    const cases = Object.entries(STRING_FIELDS).flatMap(([type, fields]) => fields.map((field) => ({ type, field })));
    it.each(cases)("$type.$field of 1 MB is refused at that field or stored whole", async ({ type, field }) => {
      const big = "A".repeat(1024 * 1024);
      const r = fresh(type);
      if (field === "id") r.id = big;
      else setPath(r, field, big);
      const body = await sendWithNeighbour(JSON.stringify(r));
      if (body.rejected.length) expect(body.rejected[0].errors.some((e) => e.path.startsWith(`records.0.${field}`))).toBe(true);
      else expect(body.accepted).toBe(2);
    });
    it("a 1 MB response body is stored whole", async () => {
      const r = { ...fresh("intercept"), raw_response: { blob: "B".repeat(1024 * 1024) } };
      await expectStored(r);
      const row = await db.intercept.findFirstOrThrow({ where: { source: "hostile", sourceId: String((r as Rec).id) } });
      expect(row.rawResponse!.length).toBe(1024 * 1024 + 11);
    });
  });

  describe("nesting", () => {
    // Built as text: a value this deep cannot even be serialized by JSON.stringify.
    const DEEP = "__DEEP_VALUE__";
    const places: Record<string, (r: Rec) => void> = {
      "intercept.raw_response": (r) => (r.raw_response = DEEP),
      "intercept.request_payload": (r) => (r.request_payload = DEEP),
      "intercept.extra field": (r) => (r.extra_field = DEEP),
      "policy_decision.context.policy.metadata": (r) => setPath(r, "context.policy.metadata", { deep: DEEP }),
      "handoff.payload.claims.0.claimed_value": (r) => setPath(r, "payload.claims.0.claimed_value", DEEP),
    };
    const cases = Object.keys(places).flatMap((place) => [200, 1000, 100_000].map((levels) => ({ place, levels })));
    it.each(cases)("$levels levels in $place are refused", async ({ place, levels }) => {
      const r = fresh(place.split(".")[0]);
      places[place](r);
      const body = await expectRejected(JSON.stringify(r).replace(`"${DEEP}"`, nestedText(levels)));
      expect(body.rejected[0].errors[0].message).toContain(`at most ${MAX_JSON_DEPTH}`);
    });
    it("the depth limit is exact: a record nested 64 deep is stored, 65 is refused", async () => {
      // the record is level 1, raw_response level 2, so 62 more levels give 64 in all
      await expectStored({ ...fresh("intercept"), raw_response: nested(62) });
      await expectRejected({ ...fresh("intercept"), raw_response: nested(63) });
    });
    it("a 100,000-deep body is refused, not a stack overflow", async () => {
      const { status } = await send(`{"records": [${nestedText(100_000)}]}`);
      expect(status).toBe(400);
    });
    it("JSON text columns nested too deep are refused as well", async () => {
      await expectRejected({ ...fresh("intercept"), raw_response: JSON.stringify(nested(200)) }, "records.0.raw_response");
    });
  });

  describe("encoding", () => {
    const cases = INVALID_UTF8.flatMap((bytes) => [
      { bytes, contentType: "application/json" },
      { bytes, contentType: "application/x-ndjson" },
    ]);
    it.each(cases)("invalid UTF-8 $bytes ($contentType) → 400 invalid_encoding", async ({ bytes, contentType }) => {
      const r = JSON.stringify(fresh("intercept"));
      const [head, tail] = r.split('"fetch_weather"');
      const enc = new TextEncoder();
      const line = new Uint8Array([...enc.encode(head + '"fetch'), ...bytes, ...enc.encode('weather"' + tail)]);
      const body = contentType === "application/json" ? new Uint8Array([...enc.encode('{"records": ['), ...line, ...enc.encode("]}")]) : line;
      const { status, json } = await send(body, contentType);
      expect(status).toBe(400);
      expect(json.error.code).toBe("invalid_encoding");
    });
    const lone = ["\\ud800", "\\udfff", "\\udc00\\ud800", "a\\ud83d"].flatMap((esc) =>
      ["agent_id", "action_name", "raw_response"].map((field) => ({ esc, field })),
    );
    it.each(lone)("unpaired surrogate $esc in $field is refused (it cannot be stored as UTF-8)", async ({ esc, field }) => {
      const r = fresh("intercept");
      const marker = "SURROGATE_HERE";
      if (field === "raw_response") r.raw_response = { [marker]: 1 };
      else r[field] = marker;
      await expectRejected(JSON.stringify(r).replace(marker, `x${esc}`), `records.0.${field}`);
    });
    const nul = ["agent_id", "action_name", "source_url", "raw_response.text", "request_payload.json.model"].map((field) => ({ field }));
    it.each(nul)("U+0000 in $field is refused", async ({ field }) => {
      const r = fresh("intercept");
      if (field === "raw_response.text") r.raw_response = { text: "a\u0000b" };
      else setPath(r, field, "a\u0000b");
      await expectRejected(r, `records.0.${field}`);
    });
    it("U+0000 in a key is refused", async () => {
      await expectRejected({ ...fresh("intercept"), raw_response: { "a\u0000b": 1 } }, "records.0.raw_response");
    });
    it("a byte-order mark before the body is accepted", async () => {
      const { status } = await send("\uFEFF" + JSON.stringify({ records: [neighbour()] }));
      expect(status).toBe(200);
    });
  });

  describe("numbers", () => {
    const BIG = [
      { what: "id past 2^53", text: (r: string) => r.replace(/"id":"[^"]+"/, '"id":9007199254740993'), path: "records.0.id" },
      { what: "intercept_index past 2^53", text: (r: string) => r.replace(/}$/, ',"intercept_index":9007199254740993}'), path: "records.0.intercept_index" },
      { what: "intercept_index 1e21", text: (r: string) => r.replace(/}$/, ',"intercept_index":1e21}'), path: "records.0.intercept_index" },
      { what: "an integer past 2^53 in a JSON value", text: (r: string) => r.replace('"raw_response":{', '"raw_response":{"big":12345678901234567890,'), path: "records.0.raw_response" },
      { what: "1e400 (Infinity) in a JSON value", text: (r: string) => r.replace('"raw_response":{', '"raw_response":{"inf":1e400,'), path: "records.0.raw_response" },
      { what: "-1e400 in an extra field", text: (r: string) => r.replace(/}$/, ',"extra_n":-1e400}'), path: "records.0.extra_n" },
    ];
    it.each(BIG)("$what is refused (it would not be stored exactly)", async ({ text, path }) => {
      await expectRejected(text(JSON.stringify(fresh("intercept"))), path);
    });
    it("an integer past 2^53 inside a JSON column given as text keeps every digit", async () => {
      const r = { ...fresh("intercept"), raw_response: '{"big": 12345678901234567890}' };
      await expectStored(r);
      const row = await db.intercept.findFirstOrThrow({ where: { source: "hostile", sourceId: String((r as Rec).id) } });
      expect(row.rawResponse).toBe('{"big": 12345678901234567890}');
    });
    it("range bounds of 1e400 are refused", async () => {
      const r = fresh("handoff");
      const text = JSON.stringify(r).replace('"json_path":', '"range_min":1e400,"json_path":');
      await expectRejected(text, "records.0.payload");
    });
  });

  describe("NDJSON", () => {
    it.each(NDJSON_BAD_LINES.map((line) => ({ line })))("line $line is a per-line error; its neighbours are stored", async ({ line }) => {
      const a = neighbour(), b = neighbour();
      const { status, json } = await send([JSON.stringify(a), line, JSON.stringify(b)].join("\n"), "application/x-ndjson");
      expect(status).toBe(207);
      expect(json.accepted).toBe(2);
      expect(json.rejected.map((r: { index: number }) => r.index)).toEqual([1]);
      expect(await neighbourStored(a.id)).toBe(true);
      expect(await neighbourStored(b.id)).toBe(true);
    });
    it("CRLF line ends and blank lines are fine", async () => {
      const a = neighbour(), b = neighbour();
      const { status } = await send(`\r\n${JSON.stringify(a)}\r\n\r\n${JSON.stringify(b)}\r\n`, "application/x-ndjson");
      expect(status).toBe(200);
    });
    it("an NDJSON body of only blank lines is refused", async () => {
      expect((await send("\n\n  \n", "application/x-ndjson")).status).toBe(400);
    });
  });

  describe("dates", () => {
    const bad = Object.keys(TEMPLATES).flatMap((type) => BAD_DATES.filter((_, i) => type === "intercept" || i % 5 === 0).map((date) => ({ type, date })));
    it.each(bad)("$type created_at $date is refused", async ({ type, date }) => {
      await expectRejected({ ...fresh(type), created_at: date }, "records.0.created_at");
    });
    it.each(ODD_DATES.map(([input, stored]) => ({ input, stored })))("created_at $input is stored as $stored", async ({ input, stored }) => {
      const r = { ...fresh("intercept"), created_at: input };
      await expectStored(r);
      const row = await db.intercept.findFirstOrThrow({ where: { source: "hostile", sourceId: String((r as Rec).id) } });
      expect(row.createdAt).toBe(stored);
    });
  });

  describe("record types", () => {
    it.each(UNKNOWN_TYPES.map((type) => ({ type })))("type $type is refused", async ({ type }) => {
      await expectRejected({ ...fresh("intercept"), type }, "records.0");
    });
    it.each([null, 42, "x", [], true].map((value) => ({ value })))("a record that is $value is refused", async ({ value }) => {
      await expectRejected(JSON.stringify(value), "records.0");
    });
  });

  describe("duplicate ids inside one batch", () => {
    it("the same record twice is stored once", async () => {
      const r = fresh("intercept");
      const { json } = await send(JSON.stringify({ records: [r, r] }));
      expect(json).toMatchObject({ accepted: 1, duplicates: 1 });
    });
    it("the same id with other content: the first is stored, the second is a duplicate", async () => {
      const r = fresh("intercept");
      const { json } = await send(JSON.stringify({ records: [r, { ...r, action_name: "second" }] }));
      expect(json).toMatchObject({ accepted: 1, duplicates: 1 });
      expect((await db.intercept.findFirstOrThrow({ where: { source: "hostile", sourceId: String((r as Rec).id) } })).actionName).toBe(r.action_name);
    });
    it("7 and \"7\" are the same id", async () => {
      const r = { ...fresh("intercept"), source: uid("num-src"), id: 7 };
      const { json } = await send(JSON.stringify({ records: [r, { ...r, id: "7" }] }));
      expect(json).toMatchObject({ accepted: 1, duplicates: 1 });
    });
    it("the same id in another source or of another type is another record", async () => {
      const id = uid("shared");
      const { json } = await send(JSON.stringify({ records: [{ ...fresh("intercept"), id }, { ...fresh("intercept", "other"), id }, { ...fresh("handoff"), id }, { ...fresh("policy_decision"), id }] }));
      expect(json).toMatchObject({ accepted: 4, duplicates: 0 });
    });
    it("5,000 copies of one record store one", async () => {
      const r = fresh("intercept");
      const { json } = await send(JSON.stringify({ records: Array.from({ length: 5000 }, () => r) }));
      expect(json).toMatchObject({ accepted: 1, duplicates: 4999 });
    });
  });

  describe("request bodies", () => {
    const BODIES: { name: string; body: string; status: number; code?: string }[] = [
      { name: "empty", body: "", status: 400, code: "invalid_json" },
      { name: "whitespace", body: "   \n ", status: 400, code: "invalid_json" },
      { name: "not JSON", body: "records=1", status: 400, code: "invalid_json" },
      { name: "truncated", body: '{"records": [', status: 400, code: "invalid_json" },
      { name: "null", body: "null", status: 400, code: "invalid_request" },
      { name: "array", body: "[]", status: 400, code: "invalid_request" },
      { name: "string", body: '"records"', status: 400, code: "invalid_request" },
      { name: "number", body: "42", status: 400, code: "invalid_request" },
      { name: "empty object", body: "{}", status: 400, code: "invalid_request" },
      { name: "records null", body: '{"records": null}', status: 400, code: "invalid_request" },
      { name: "records object", body: '{"records": {"0": {}}}', status: 400, code: "invalid_request" },
      { name: "records string", body: '{"records": "x"}', status: 400, code: "invalid_request" },
      { name: "records empty", body: '{"records": []}', status: 400, code: "invalid_request" },
      { name: "__proto__ records", body: '{"__proto__": {"records": [1]}}', status: 400, code: "invalid_request" },
      { name: "only invalid records", body: '{"records": [{"type": "intercept"}, 5]}', status: 400, code: "invalid_records" },
      { name: "NaN", body: '{"records": [NaN]}', status: 400, code: "invalid_json" },
      { name: "5,001 records", body: JSON.stringify({ records: Array.from({ length: 5001 }, () => ({})) }), status: 413, code: "payload_too_large" },
      { name: "over 10 MiB", body: JSON.stringify({ records: [{ pad: "x".repeat(10 * 1024 * 1024) }] }), status: 413, code: "payload_too_large" },
    ];
    it.each(BODIES)("$name → $status $code", async ({ body, status, code }) => {
      const r = await send(body);
      expect(r.status).toBe(status);
      if (code) expect(r.json.error.code).toBe(code);
    });
    it("a content-length above the limit is refused before reading", async () => {
      requests++;
      const req = new Request("http://localhost/api/v1/ingest", { method: "POST", headers: { authorization: `Bearer ${TEST_KEY}`, "content-length": String(50 * 1024 * 1024) }, body: "{}" });
      expect((await ingest(req, noParams)).status).toBe(413);
    });
    it("duplicate \"records\" keys: the last one counts, as in JSON.parse", async () => {
      const n = neighbour();
      const { status } = await send(`{"records": [5], "records": [${JSON.stringify(n)}]}`);
      expect(status).toBe(200);
      expect(await neighbourStored(n.id)).toBe(true);
    });
  });

  describe("properties (fast-check)", () => {
    it("any JSON value as a record: 2xx or a 4xx envelope, and the neighbour is stored", async () => {
      await fc.assert(
        fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (value) => {
          await sendWithNeighbour(JSON.stringify(value));
        }),
        { numRuns: 60 },
      );
    });
    it("any record of a known type with arbitrary extra fields is stored or refused with paths", async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...Object.keys(TEMPLATES)), fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }), async (type, extra) => {
          const r = { ...extra, ...fresh(type) };
          const body = await sendWithNeighbour(JSON.stringify(r));
          for (const rej of body.rejected) for (const e of rej.errors) expect(e.path).toMatch(/^records\.0/);
        }),
        { numRuns: 60 },
      );
    });
    it("any Unicode text as an agent name or action is stored exactly or refused at that field", async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom("agent_id", "action_name"), fc.string({ unit: "binary", minLength: 0, maxLength: 40 }), async (field, text) => {
          const r = { ...fresh("intercept"), [field]: text };
          const body = await sendWithNeighbour(JSON.stringify(r));
          if (body.rejected.length) {
            expect(body.rejected[0].errors.some((e) => e.path.startsWith(`records.0.${field}`))).toBe(true);
            return;
          }
          const row = await db.intercept.findFirstOrThrow({ where: { source: "hostile", sourceId: String((r as Rec).id) } });
          expect(field === "agent_id" ? row.agentId : row.actionName).toBe(text);
        }),
        { numRuns: 80 },
      );
    });
    it("any bytes as a body: a 4xx envelope or 2xx, never a 5xx", async () => {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.constantFrom("application/json", "application/x-ndjson", "text/plain"), async (bytes, ct) => {
          await send(bytes, ct);
        }),
        { numRuns: 60 },
      );
    });
    it("any text as created_at is refused at created_at or stored as an ISO instant", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(fc.string({ maxLength: 40 }), fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.date({ noInvalidDate: true }).map((d) => d.toUTCString())),
          async (date) => {
            const r = { ...fresh("intercept"), created_at: date };
            const body = await sendWithNeighbour(JSON.stringify(r));
            if (body.rejected.length) expect(body.rejected[0].errors[0].path).toBe("records.0.created_at");
            else {
              const row = await db.intercept.findFirstOrThrow({ where: { source: "hostile", sourceId: String((r as Rec).id) } });
              expect(row.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
            }
          },
        ),
        { numRuns: 60 },
      );
    });
  });

  describe("read endpoints and other routes", () => {
    const QUERY_KEYS = ["limit", "cursor", "kinds", "leaks_only", "from", "to", "outcome", "agent_id", "action", "policy", "resource_type"];
    const QUERY_VALUES = ["-1", "0", "1001", "1e309", "NaN", "abc", "", "<script>alert(1)</script>", "' OR 1=1 --", "\u0000", "x".repeat(10_000), "9".repeat(400), "%", "[]", "__proto__"];
    const ID_VALUES = ["' OR 1=1 --", "<script>alert(1)</script>", "../../../etc/passwd", "\u0000", "x".repeat(5000), "%25", "null", "-1", "9".repeat(40), "__proto__", "🧪"];
    const BAD_BODIES = ["", "{", "null", "[]", "42", '{"__proto__": {"x": 1}}', JSON.stringify({ resource_type: "<script>", resource_id: "' OR 1=1", expires_in_seconds: 1e309 }), JSON.stringify(nested(500))];
    let routes: ApiRoute[] = [];
    beforeAll(async () => {
      routes = await apiRoutes();
      // something to read
      await send(JSON.stringify({ records: [f.genAToolCall, f.genALeakedLlmCall, f.handoffRecord, f.edgePolicyDecision] }));
    });

    async function call(route: ApiRoute, method: string, url: string, params: Record<string, string>, body?: string) {
      requests++;
      const handler = route.handlers[method as "GET"]!;
      const init: RequestInit = { method, headers: { authorization: `Bearer ${TEST_KEY}`, "content-type": "application/json" } };
      if (body !== undefined && method !== "GET") init.body = body;
      const res = await handler(new Request(`http://localhost${url}`, init), withParams(params));
      const text = await res.text();
      expect(res.status, `${method} ${url.slice(0, 200)} → ${text.slice(0, 300)}`).toBeLessThan(500);
      if (res.status >= 400) expect(errorEnvelopeSchema.safeParse(JSON.parse(text)).success).toBe(true);
    }

    it("finds the routes on disk", () => {
      expect(routes.map((r) => r.pattern)).toContain("/api/v1/ingest");
    });
    it("every GET route answers hostile query parameters with 2xx or a 4xx envelope", async () => {
      for (const route of routes.filter((r) => r.handlers.GET)) {
        const params = Object.fromEntries(route.params.map((p) => [p, p === "agentId" ? "fetch_and_claim" : "x"]));
        for (const key of QUERY_KEYS)
          for (const value of QUERY_VALUES) await call(route, "GET", `${fillPattern(route.pattern, params)}?${new URLSearchParams({ [key]: value })}`, params);
      }
    });
    it("every route with a path parameter answers hostile ids with 2xx or a 4xx envelope", async () => {
      for (const route of routes.filter((r) => r.params.length)) {
        for (const id of ID_VALUES) {
          const params = Object.fromEntries(route.params.map((p) => [p, id]));
          for (const method of Object.keys(route.handlers)) await call(route, method, fillPattern(route.pattern, params), params, "{}");
        }
      }
    });
    it("every write route answers hostile bodies with 2xx or a 4xx envelope", async () => {
      for (const route of routes) {
        for (const method of ["POST", "PUT", "PATCH", "DELETE"].filter((m) => route.handlers[m as "POST"])) {
          const params = Object.fromEntries(route.params.map((p) => [p, "x"]));
          for (const body of BAD_BODIES) await call(route, method, fillPattern(route.pattern, params), params, body);
        }
      }
    });
  });

  it("the server still serves and stores after all of it", async () => {
    const res = await health(new Request("http://localhost/api/health"), noParams);
    expect(res.status).toBe(200);
    const n = neighbour();
    expect((await send(JSON.stringify({ records: [n] }))).status).toBe(200);
    expect(await neighbourStored(n.id)).toBe(true);
  });
});
