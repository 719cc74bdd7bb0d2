// Realistic intercept records for the benchmark, as the recorder writes them: 50 agents
// running the async loop "LLM plan → tool GET → LLM answer", where every fourth answer
// carries the tool's tag (the leak), ~1 KB per record, both recorder generations.
// Deterministic: record n is the same in every run, so the raw baseline stores the very
// rows the HTTP ingest stored.
import { canonicalJson, sha256Hex } from "../../lib/records/json";

export const OPENAI = "https://api.openai.com/v1/chat/completions";
const ACTIONS = ["fetch_weather", "get_quote", "search_docs", "lookup_user", "read_invoice"] as const;
const WORDS = "the weather in oslo is mild today while markets drift sideways and the invoice was paid on time by the customer".split(" ");

export interface GenOptions {
  agents: number;
  /** epoch ms of record 0 */
  startMs: number;
  /** ms between records n and n + 1; default 10 */
  stepMs?: number;
  /** distinguishes runs that must not collide on (source, id) */
  source: string;
  /** agent names are `<prefix>_NN`; default bench_agent */
  agentPrefix?: string;
}

/** mulberry32: small, fast, good enough to vary payloads deterministically. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function words(r: () => number, n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(WORDS[Math.floor(r() * WORDS.length)]);
  return out.join(" ");
}

function uuid(r: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(r() * 16).toString(16)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function agentName(i: number, prefix = "bench_agent"): string {
  return `${prefix}_${String(i).padStart(2, "0")}`;
}

/**
 * Record n. Agents take turns (n % agents); each agent's own sequence k = n / agents runs
 * the 3-step loop, so an agent's rows are interleaved with everyone else's, as in a fleet.
 */
export function benchRecord(n: number, o: GenOptions): Record<string, unknown> {
  const r = rng(n * 2654435761);
  const agent = n % o.agents;
  const k = Math.floor(n / o.agents);
  const step = k % 3;
  const loop = Math.floor(k / 3);
  const action = ACTIONS[(agent + loop) % ACTIONS.length];
  const at = new Date(o.startMs + Math.floor(n * (o.stepMs ?? 10)));
  const genB = agent % 5 === 4; // a fifth of the fleet runs the newer recorder
  let url: string;
  let request: Record<string, unknown>;
  let response: Record<string, unknown>;
  let tag: string;
  if (step === 1) {
    url = `https://api.tools.example.com/v2/${action}?item=${loop}&region=eu-north-1`;
    request = { url, method: "GET", params: { item: loop, region: "eu-north-1", fields: ["summary", "amount", "status"] } };
    response = {
      item: loop,
      status: "ok",
      amount: Math.round(r() * 1e6) / 100,
      summary: words(r, 40),
      rows: Array.from({ length: 4 }, (_, i) => ({ i, label: words(r, 3), value: Math.round(r() * 1000) })),
    };
    tag = action;
  } else {
    url = OPENAI;
    const prompt = step === 0 ? `Plan the next step for ${action}: ${words(r, 25)}` : `Answer from the ${action} result: ${words(r, 25)}`;
    request = { url, method: "POST", json: { model: "gpt-4o-mini", temperature: 0, messages: [{ role: "system", content: "You are a careful agent." }, { role: "user", content: prompt }] } };
    response = {
      id: `chatcmpl-${n}`,
      object: "chat.completion",
      model: "gpt-4o-mini",
      choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: words(r, 35) } }],
      usage: { prompt_tokens: 120 + Math.floor(r() * 50), completion_tokens: 60, total_tokens: 200 },
    };
    // The leak: the answer step of every fourth loop still carries the tool's tag.
    tag = step === 2 && loop % 4 === 0 ? action : "unknown";
  }
  const responseText = canonicalJson(response);
  if (genB) {
    const { url: _url, method: _method, ...rest } = request;
    return {
      type: "intercept",
      id: uuid(r),
      source: o.source,
      agent_id: agentName(agent, o.agentPrefix),
      action_name: tag,
      source_url: url,
      request_payload: rest,
      raw_response: response,
      response_hash: sha256Hex(responseText),
      created_at: at.toISOString(),
      call_ref: uuid(r),
    };
  }
  return {
    type: "intercept",
    id: n + 1,
    source: o.source,
    agent_id: agentName(agent, o.agentPrefix),
    action_name: tag,
    source_url: url,
    // Generation A holds JSON text with sorted keys, as the table does.
    request_payload: canonicalJson(request),
    raw_response: responseText,
    response_hash: sha256Hex(responseText),
    created_at: at.toISOString().replace("T", " ").replace("Z", ""),
  };
}

export function benchRecords(from: number, to: number, o: GenOptions): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let n = from; n < to; n++) out.push(benchRecord(n, o));
  return out;
}

/** Whether record n is a leaked LLM call (the answer step of every fourth loop). */
export function isLeakRecord(n: number, agents: number): boolean {
  const k = Math.floor(n / agents);
  return k % 3 === 2 && Math.floor(k / 3) % 4 === 0;
}
