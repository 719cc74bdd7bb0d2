// Secrets never reach storage: the handoff's integration_api_key wherever it occurs, and
// credential headers inside recorded request payloads.
import type { Json } from "./json";

export const SECRET_KEYS = ["integration_api_key"];
export const SECRET_HEADERS = ["authorization", "proxy-authorization", "api-key", "x-api-key"];

export interface Scrubbed {
  value: Json;
  /** dotted paths of what was removed, so the record says that something was */
  removed: string[];
}

/** Removes every object key whose lower-cased name is in `names`, at any depth. */
export function removeKeysDeep(value: Json, names: readonly string[], path = ""): Scrubbed {
  const removed: string[] = [];
  const walk = (v: Json, at: string): Json => {
    if (Array.isArray(v)) return v.map((x, i) => walk(x, `${at}.${i}`));
    if (v === null || typeof v !== "object") return v;
    // fromEntries defines own properties, so a "__proto__" key stays data, never a prototype.
    return Object.fromEntries(
      Object.entries(v).flatMap(([k, x]) => {
        if (names.includes(k.toLowerCase())) {
          removed.push(`${at}.${k}`.replace(/^\./, ""));
          return [];
        }
        return [[k, walk(x, `${at}.${k}`)]];
      }),
    ) as Json;
  };
  // Nearly every payload holds no secret: finding none, the value is returned as it is.
  if (!hasKeyDeep(value, names)) return { value, removed };
  const out = walk(value, path);
  return { value: out, removed };
}

/** Whether any object inside the value has a key whose lower-cased name is in `names`. */
function hasKeyDeep(value: Json, names: readonly string[]): boolean {
  const stack: Json[] = [value];
  while (stack.length) {
    const v = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (Array.isArray(v)) {
      for (const x of v) stack.push(x);
      continue;
    }
    for (const k in v) {
      if (!Object.hasOwn(v, k)) continue;
      if (names.includes(k.toLowerCase())) return true;
      stack.push(v[k]);
    }
  }
  return false;
}
