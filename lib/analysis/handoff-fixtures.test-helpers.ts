// Small fixtures for the handoff analysis tests: recorded calls and handoffs built by hand.
import type { Json } from "../records/json";
import type { HandoffSubject, RecordedCall } from "./claims";

export const OPENAI = "https://api.openai.com/v1/chat/completions";
export const WEATHER = "https://api.weather.example/v1/now?city=oslo";
export const weather = { current: { temperature_2m: 4.2 } };

export function call(id: string, over: Partial<RecordedCall> = {}): RecordedCall {
  return {
    id, source: "s", sourceId: id.replace(/^int_/, ""), agentId: "agent", actionName: "fetch_weather", kind: "tool_call", llmProvider: null,
    sourceUrl: WEATHER, method: "GET", createdAt: "", ts: 100, callRef: null, isLeak: false, leakToolId: null, response: weather, ...over,
  };
}

export const llm = (id: string, over: Partial<RecordedCall> = {}) =>
  call(id, { kind: "llm_call", llmProvider: "OpenAI", sourceUrl: OPENAI, method: "POST", response: { choices: [{ message: { content: "4.2 °C" } }] }, ...over });

export function handoff(claims: Record<string, Json>[], over: Partial<HandoffSubject> & { registry?: string[] } = {}): HandoffSubject {
  const { registry = [WEATHER], ...rest } = over;
  return { id: "hof_1", source: "s", agentId: "agent", ts: 1000, payload: { claims, trusted_endpoint_registry: registry }, ...rest };
}

export const weatherClaim = (over: Record<string, Json> = {}): Record<string, Json> => ({
  action_name: "fetch_weather", claimed_value: 4.2, request_payload: { url: WEATHER }, verification_mode: "field_extraction", json_path: "$.current.temperature_2m", ...over,
});
