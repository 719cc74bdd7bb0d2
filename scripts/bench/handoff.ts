// A handoff with many claims, built from tool calls the bench stored: each claim says the
// `amount` the tool returned (field_extraction at $.amount), as an honest agent would.
import { benchRecord, type GenOptions } from "./records";

/** The n of the first `count` tool calls of agent `agent` (step 1 of its loops). */
export function toolRecordNumbers(agent: number, agents: number, count: number): number[] {
  const out: number[] = [];
  for (let loop = 0; out.length < count; loop++) out.push((loop * 3 + 1) * agents + agent);
  return out;
}

export function handoffWithClaims(agent: number, count: number, gen: GenOptions): Record<string, unknown> {
  const calls = toolRecordNumbers(agent, gen.agents, count).map((n) => benchRecord(n, gen));
  const claims = calls.map((c) => {
    const response = JSON.parse(c.raw_response as string) as { amount: number };
    return {
      action_name: c.action_name,
      claimed_value: response.amount,
      request_payload: JSON.parse(c.request_payload as string),
      response_payload: response,
      query_record_id: c.id,
      verification_mode: "field_extraction",
      json_path: "$.amount",
    };
  });
  return {
    type: "handoff",
    id: `bench-handoff-${agent}-${count}`,
    source: gen.source,
    created_at: new Date(gen.startMs + 10 * 3_600_000).toISOString(),
    agent_id: calls[0].agent_id,
    payload: {
      run_id: `bench-run-${agent}`,
      task: `Report the amounts of ${count} items`,
      reasoning: "Each amount was read from the tool's response.",
      claims,
      trusted_endpoint_registry: [...new Set(calls.map((c) => c.source_url as string))],
      query_record_ids: calls.map((c) => c.id),
      handoff_contract_version: "2.0",
    },
  };
}
