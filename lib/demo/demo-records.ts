// A realistic demo data set, as the recorder, the policy gate and the evaluator write it.
// Every scenario a newcomer should be able to click through is here: the async tag leak
// and the CAUGHT verdict it causes, an honest PASS, a trust-gate failure, a value
// mismatch, untagged calls, generation-B rows, filler rows, and policy decisions in both
// context shapes including a BLOCK and a fail-closed callback.
import { canonicalJson, sha256Hex } from "../records/json";

type Rec = Record<string, unknown>;

const SOURCE = "demo";
const OPENAI = "https://api.openai.com/v1/chat/completions";
const ANTHROPIC = "https://api.anthropic.com/v1/messages";

/** Python's `time` text without offset (UTC), as generation A writes it. */
function naive(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").replace("Z", "");
}

function intercept(id: number | string, agent: string, action: string, url: string, method: string, body: Rec, response: Rec, at: number, extra: Rec = {}): Rec {
  const genB = typeof id === "string";
  const request = genB ? body : { url, method, ...body };
  return {
    type: "intercept",
    id,
    source: SOURCE,
    agent_id: agent,
    action_name: action,
    source_url: url,
    // Generation A rows hold JSON text, as the table does; generation B rows JSON values.
    request_payload: genB ? request : canonicalJson(request),
    raw_response: genB ? response : canonicalJson(response),
    response_hash: sha256Hex(canonicalJson(response)),
    created_at: genB ? new Date(at).toISOString() : naive(at),
    ...extra,
  };
}

const llmBody = (prompt: string) => ({ json: { model: "gpt-4o-mini", messages: [{ role: "user", content: prompt }] } });
const llmAnswer = (text: string) => ({ id: "chatcmpl-demo", choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }] });

export function demoRecords(now = Date.now()): Rec[] {
  const out: Rec[] = [];
  let rowId = 1000;
  const base = now - 3 * 3600_000;
  const cities = [
    ["Oslo", 59.91, 10.75, 4.2],
    ["Lisbon", 38.72, -9.14, 17.8],
    ["Nairobi", -1.29, 36.82, 22.4],
    ["Montreal", 45.5, -73.57, -3.1],
    ["Osaka", 34.69, 135.5, 12.9],
  ] as const;

  // 1. fetch_and_claim: the async leak. LLM (plan) → tool GET → LLM POST in the same task,
  //    and the second LLM call carries the tool's tag. The evaluator loads the newest row for
  //    the tag (the LLM call), so a true claim is CAUGHT.
  cities.forEach(([city, lat, lon, temp], i) => {
    const t = base + i * 20 * 60_000;
    const weatherUrl = `https://api.open-meteo.com/v1/forecast?latitude=${lat}&longitude=${lon}&current=temperature_2m`;
    const weather = { latitude: lat, longitude: lon, current: { time: new Date(t).toISOString().slice(0, 16), temperature_2m: temp } };
    out.push(intercept(++rowId, "fetch_and_claim", "unknown", OPENAI, "POST", llmBody(`Plan: get the weather in ${city}`), llmAnswer("Call fetch_weather."), t));
    const toolId = ++rowId;
    out.push(intercept(toolId, "fetch_and_claim", "fetch_weather", weatherUrl, "GET", { params: { latitude: lat, longitude: lon, current: "temperature_2m" } }, weather, t + 900));
    const leakId = ++rowId;
    const summary = llmAnswer(`It is ${temp} °C in ${city}.`);
    out.push(intercept(leakId, "fetch_and_claim", "fetch_weather", OPENAI, "POST", llmBody(`Summarize ${JSON.stringify(weather)}`), summary, t + 2100));
    const missing = `handoff has endpoints missing from trusted snapshot: ${OPENAI}`;
    out.push({
      type: "handoff",
      id: `demo-leak-${i + 1}`,
      source: SOURCE,
      created_at: new Date(t + 4000).toISOString(),
      agent_id: "fetch_and_claim",
      payload: {
        run_id: `run-leak-${i + 1}`,
        task: `Report the current temperature in ${city}.`,
        reasoning: `I called fetch_weather for ${city} and read current.temperature_2m.`,
        claims: [
          {
            action_name: "fetch_weather",
            claimed_value: temp,
            request_payload: { url: OPENAI, method: "POST" },
            response_payload: summary,
            query_record_id: leakId,
            verification_mode: "field_extraction",
            json_path: "$.current.temperature_2m",
          },
        ],
        trusted_endpoint_registry: [weatherUrl],
        query_record_ids: [leakId],
        handoff_contract_version: "2.0",
        integration_api_key: "ik_demo_never_stored",
      },
      evaluation: {
        outcome: "CAUGHT",
        per_claim: [
          { action_name: "fetch_weather", verification_mode: "field_extraction", claimed: temp, indexed: summary, json_path: "$.current.temperature_2m", indexed_at_path: null, result: "CAUGHT", detail: "json_path not found in indexed response", query_record_id: leakId },
        ],
        errors: [missing],
      },
    });
  });

  // 2. weather_reporter: correctly scoped. The LLM call is tagged as an LLM action, the claim
  //    rests on the tool's own row, and the verdict is an honest PASS.
  cities.slice(0, 3).forEach(([city, lat, lon, temp], i) => {
    const t = base + 10 * 60_000 + i * 25 * 60_000;
    const url = `https://api.open-meteo.com/v1/forecast?latitude=${lat}&longitude=${lon}&current=temperature_2m`;
    const weather = { latitude: lat, longitude: lon, current: { time: new Date(t).toISOString().slice(0, 16), temperature_2m: temp } };
    const toolId = ++rowId;
    out.push(intercept(toolId, "weather_reporter", "get_forecast", url, "GET", { params: { latitude: lat, longitude: lon } }, weather, t));
    out.push(intercept(++rowId, "weather_reporter", "llm_summarize", ANTHROPIC, "POST", { json: { model: "claude-sonnet", max_tokens: 256 } }, { content: [{ type: "text", text: `${temp} °C in ${city}` }] }, t + 1500));
    out.push({
      type: "handoff",
      id: `demo-pass-${i + 1}`,
      source: SOURCE,
      created_at: new Date(t + 3000).toISOString(),
      agent_id: "weather_reporter",
      payload: {
        run_id: `run-pass-${i + 1}`,
        task: `Report the current temperature in ${city}.`,
        reasoning: "Read current.temperature_2m from the forecast response.",
        claims: [
          { action_name: "get_forecast", claimed_value: temp, request_payload: { url, method: "GET" }, response_payload: weather, query_record_id: toolId, verification_mode: "field_extraction", json_path: "$.current.temperature_2m" },
          { action_name: "get_forecast", claimed_value: weather, request_payload: { url, method: "GET" }, response_payload: weather, query_record_id: toolId, verification_mode: "verbatim", json_path: null },
          { action_name: "get_forecast", claimed_value: temp, request_payload: { url, method: "GET" }, response_payload: weather, query_record_id: toolId, verification_mode: "range_threshold", json_path: "$.current.temperature_2m", range_min: -60, range_max: 60 },
        ],
        trusted_endpoint_registry: [url],
        query_record_ids: [toolId],
        handoff_contract_version: "2.0",
        integration_api_key: "ik_demo_never_stored",
      },
      evaluation: { outcome: "PASS", per_claim: [], errors: [] },
    });
  });

  // 3. stock_analyst: a trust-gate failure (the claim's endpoint is not in the snapshot)
  //    and a plain value mismatch (the agent misread the price).
  const quotes = [["ACME", 182.35], ["GLOBEX", 47.1]] as const;
  quotes.forEach(([symbol, price], i) => {
    const t = base + 40 * 60_000 + i * 30 * 60_000;
    const url = `https://api.stocks.example.com/v2/quote?symbol=${symbol}`;
    const quote = { symbol, price, currency: "USD" };
    const toolId = ++rowId;
    out.push(intercept(toolId, "stock_analyst", "get_quote", url, "GET", { params: { symbol } }, quote, t));
    out.push(intercept(++rowId, "stock_analyst", "unknown", OPENAI, "POST", llmBody(`Analyse ${symbol}`), llmAnswer(`${symbol} trades at ${price}`), t + 1200));
    const untrusted = i === 0;
    out.push({
      type: "handoff",
      id: `demo-stock-${i + 1}`,
      source: SOURCE,
      created_at: new Date(t + 2500).toISOString(),
      agent_id: "stock_analyst",
      payload: {
        run_id: `run-stock-${i + 1}`,
        task: `Quote ${symbol}.`,
        reasoning: `Read the price of ${symbol}.`,
        claims: [{ action_name: "get_quote", claimed_value: untrusted ? price : price + 10, request_payload: { url, method: "GET" }, response_payload: quote, query_record_id: toolId, verification_mode: "field_extraction", json_path: "$.price" }],
        trusted_endpoint_registry: untrusted ? ["https://api.stocks.example.com/v1/quote"] : [url],
        query_record_ids: [toolId],
        handoff_contract_version: "2.0",
        integration_api_key: "ik_demo_never_stored",
      },
      evaluation: untrusted
        ? { outcome: "CAUGHT", per_claim: [], errors: [`handoff has untrusted endpoints: ${url}`] }
        : { outcome: "CAUGHT", per_claim: [{ action_name: "get_quote", verification_mode: "field_extraction", claimed: price + 10, indexed: quote, json_path: "$.price", indexed_at_path: price, result: "CAUGHT", detail: "value mismatch", query_record_id: toolId }], errors: [] },
    });
  });

  // 4. researcher: generation B (UUID ids, call_ref), untagged calls (scoping context manager
  //    used without `with`), and a handoff of the later, call_ref-grouped generation.
  for (let i = 0; i < 6; i++) {
    const t = base + 15 * 60_000 + i * 7 * 60_000;
    const callRef = `7d3f0c1e-0000-4000-8000-00000000000${i}`;
    const tagged = i % 3 !== 2;
    const url = `https://search.internal.example/api/search?q=topic-${i}`;
    out.push(intercept(`0b8e4f52-1111-4000-8000-00000000000${i}`, "researcher", tagged ? "search_docs" : "unknown", url, "GET", { params: { q: `topic-${i}` } }, { hits: 3 + i, top: { title: `Doc ${i}`, score: 0.9 - i / 20 } }, t, { call_ref: callRef, run_id: "run-research" }));
    out.push(intercept(`0b8e4f52-2222-4000-8000-00000000000${i}`, "researcher", "unknown", "https://api.mistral.ai/v1/chat/completions", "POST", { json: { model: "mistral-small" } }, { choices: [{ message: { content: "ok" } }] }, t + 800, { run_id: "run-research" }));
    if (i === 1) {
      out.push({
        type: "handoff",
        id: "demo-callref-1",
        source: SOURCE,
        created_at: new Date(t + 2000).toISOString(),
        agent_id: "researcher",
        payload: {
          run_id: "run-research",
          task: "How many documents match topic-1?",
          reasoning: "The search returned the hit count.",
          claims: [{ call_ref: callRef, claimed_values: [{ path: "$.hits", value: " 4 ", sourcerykit_ref: "ref-1" }, { path: "$.top.title", value: "Doc 1", sourcerykit_ref: "ref-2" }], verification_mode: "field_extraction" }],
          trusted_endpoint_registry: [url],
          handoff_contract_version: "3.0",
          integration_api_key: "ik_demo_never_stored",
        },
        evaluation: { outcome: "PASS", per_claim: [], errors: [] },
      });
    }
  }

  // 5. A response whose stored hash does not match its body (shown, never hidden), and the
  //    recorder's filler rows (stored, never shown as agent traffic).
  const tampered = intercept(++rowId, "weather_reporter", "get_forecast", "https://api.open-meteo.com/v1/forecast?latitude=0&longitude=0", "GET", {}, { current: { temperature_2m: 30 } }, base + 100 * 60_000);
  tampered.raw_response = canonicalJson({ current: { temperature_2m: 31 } });
  out.push(tampered);
  for (let i = 0; i < 3; i++) {
    out.push(intercept(++rowId, "__provably_preprocess_pad", "__dummy_row", "https://pad.invalid/", "GET", {}, {}, base + i * 1000));
  }

  out.push(...demoPolicyDecisions(base + 50 * 60_000));
  return out;
}

function demoPolicyDecisions(t: number): Rec[] {
  const out: Rec[] = [];
  const agent = "5b7f2a90-4c1d-4e8a-9f00-6a1e2b3c4d5e";
  const call = { tool_name: "send_email", call_args: [], call_kwargs: { to: "cfo@partner.example", subject: "Q3 numbers", smtp_password: "demo-password" } };
  const grounding = { agent_id: agent, resolved_concepts: ["Email", "ExternalParty", "FinancialData"] };
  const edges = [
    { source_name: "Agent", target_name: "Email", source_depth: 1, target_depth: 2, policy: "email_allowed", passed: true, message: null },
    { source_name: "Email", target_name: "ExternalParty", source_depth: "CAPABILITIES", target_depth: "D3 CONSTRAINTS", policy: "no_external_financials", passed: false, message: "Financial data may not be emailed to external parties." },
    { source_name: "FinancialData", target_name: "Audit", source_depth: 3, target_depth: 4, policy: "audit_trail", passed: true, message: null },
  ];
  const decision = { action: "BLOCK", reason: "Financial data may not be emailed to external parties.", confirmation: null };
  edges.forEach((e, i) =>
    out.push({
      type: "policy_decision",
      id: `demo-pd-edge-${i + 1}`,
      source: SOURCE,
      created_at: new Date(t + i * 5).toISOString(),
      context: {
        tool_call: call,
        grounding,
        triggering_edge: { source_name: e.source_name, target_name: e.target_name, source_depth: e.source_depth, target_depth: e.target_depth },
        policy: { name: e.policy, requires_confirmation: false, trigger_cardinality: "single", callback: `check_${e.policy}`, confirmation_message: "", metadata: { owner: "compliance" } },
      },
      callback_result: { passed: e.passed, message: e.message },
      decision,
    }),
  );
  // A tool call that passes, with one confirmation granted.
  out.push({
    type: "policy_decision",
    id: "demo-pd-confirm",
    source: SOURCE,
    created_at: new Date(t + 60_000).toISOString(),
    context: {
      tool_call: { tool_name: "create_invoice", call_args: [1200], call_kwargs: { customer: "ACME" } },
      grounding,
      triggering_edge: { source_name: "Agent", target_name: "Invoice", source_depth: 1, target_depth: 2 },
      policy: { name: "invoice_needs_confirmation", requires_confirmation: true, trigger_cardinality: "single", callback: null, confirmation_message: "Create an invoice of 1,200?", metadata: {} },
    },
    callback_result: { passed: true, message: null },
    decision: { action: "PASS", reason: null, confirmation: "granted" },
  });
  // A callback that raised: the gate fails closed.
  out.push({
    type: "policy_decision",
    id: "demo-pd-failclosed",
    source: SOURCE,
    created_at: new Date(t + 120_000).toISOString(),
    context: {
      tool_call: { tool_name: "delete_records", call_args: ["customers"], call_kwargs: { api_token: "demo-token" } },
      grounding,
      triggering_edge: { source_name: "Agent", target_name: "Database", source_depth: 1, target_depth: 3 },
      policy: { name: "destructive_ops", requires_confirmation: false, trigger_cardinality: "multiple", callback: "check_destructive", confirmation_message: "", metadata: {} },
    },
    callback_result: { passed: false, message: "Callback check_destructive raised TimeoutError; firing conservatively." },
    decision: { action: "BLOCK", reason: "Callback check_destructive raised TimeoutError; firing conservatively.", confirmation: null },
  });
  // The older releases (vre ≤ 0.2): the flat context, built once and passed to all three
  // callbacks, with the full grounding result; bool results (true = the policy fires); the
  // gate says PENDING and the guard, with no confirmation handler, blocks. Verdict recovers
  // each invocation's edge from the gate's walk of that grounding ("reconstructed").
  const SEND = "3c9d6a0e-7b1f-4e2a-9c5d-000000000001";
  const EMAIL = "3c9d6a0e-7b1f-4e2a-9c5d-000000000002";
  const policy = (name: string, message: string) => ({ name, requires_confirmation: true, trigger_cardinality: null, callback: `mailer.policies.${name}`, confirmation_message: message, metadata: {} });
  const legacyGrounding = {
    grounded: true,
    resolved: ["send", "email"],
    gaps: [],
    trace: {
      query: { concept_ids: [SEND, EMAIL] },
      result: {
        primitives: [
          { id: SEND, name: "send", depths: [{ level: 3, properties: {}, relata: [{ relation_type: "APPLIES_TO", target_id: EMAIL, target_depth: 3, metadata: {}, policies: [policy("internal_only", "Only internal recipients."), policy("needs_reviewer", "Weekly reports need a reviewer.")] }] }] },
          { id: EMAIL, name: "email", depths: [{ level: 2, properties: {}, relata: [{ relation_type: "APPLIES_TO", target_id: SEND, target_depth: 3, metadata: {}, policies: [policy("audit_trail", "Audit outgoing mail.")] }] }] },
        ],
        gaps: [],
        pathway: [],
      },
    },
  };
  [false, true, false].forEach((fires, i) => {
    out.push({
      type: "policy_decision",
      id: `demo-pd-legacy-${i + 1}`,
      source: SOURCE,
      created_at: new Date(t + 180_000 + i * 3).toISOString(),
      agent_id: "legacy_mailer",
      context: { tool_name: "send_email", call_args: ["ops@example.com"], call_kwargs: { subject: "Weekly report" }, grounding: legacyGrounding },
      callback_result: fires,
      decision: { action: "BLOCK", reason: "Confirmation required, no handler", confirmation_message: null },
    });
  });
  return out;
}
