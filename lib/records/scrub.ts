// Secrets never reach storage. Every field of every record is scrubbed at ingest by rule, not
// by exact key (docs/security.md):
//  - object keys named like a secret (lib/records/sensitive.ts: authorization, cookie, token,
//    password, secret, api_key, … in any spelling: integrationApiKey, X-Goog-Api-Key, "token ")
//  - header names in any container: [name, value] pairs, {name, value} (HAR) entries, raw header
//    text ("Authorization: Bearer …" lines), JSON text inside a string (double-encoded too)
//  - query and form parameters in URLs and text (?api_key=, &key=, access_token=), `key` included
//    there (and in `params`/`query` objects), where it names Google-style API keys
//  - what was removed under a secret name, wherever else the same value recurs in the record.
// The value gives way to a marker naming what was removed; the record lists the paths.
import type { Json } from "./json";
import { isPlainObject } from "./json";
import { keyWords, sensitiveKeysFromEnv } from "./sensitive";
import { setting } from "../config/server-env";

export const secretMarker = (name: string) => `[secret removed: ${name.trim().toLowerCase().replace(/[\]\s]+/g, " ").slice(0, 100)}]`;

/** Names that are secrets only as query or form parameters (a JSON "key" is usually not one). */
const QUERY_ONLY = ["key"];
/** Objects whose keys are query parameters. */
const QUERY_CONTAINERS = new Set(["params", "query", "queryparams", "querystring", "searchparams", "qs"]);
/** Keys of a {name, value} entry (HAR, Postman, OTel header lists). */
const ENTRY_NAME_KEYS = ["name", "key", "header"];
/** Secret values shorter than this are not searched for elsewhere in the record. */
const MIN_RECURRING = 8;

export interface ScrubRules {
  /** lower-case alphanumeric names; a key matches when one of its words, two adjacent ones, or all of them joined is one */
  names: Set<string>;
  /** the words of the names (global, case-insensitive), for mayHoldSecret */
  prefilter: RegExp;
  cache: Map<string, 0 | 1 | 2>;
}

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

export function scrubRules(env: Record<string, string | undefined> = process.env): ScrubRules {
  const names = sensitiveKeysFromEnv(env);
  // A key matching a name holds, as one of its words, the name's last word ("key" of api_key)
  // or the whole name joined ("apikey"); other words ("api") would only slow the prefilter.
  const words = new Set([...names, ...QUERY_ONLY].flatMap((n) => [n.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean).pop() ?? "", norm(n)]).filter(Boolean));
  const terms = [...words].sort((a, b) => b.length - a.length).map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return { names: new Set(names.map(norm).filter(Boolean)), prefilter: new RegExp(terms.join("|"), "gi"), cache: new Map() };
}

const byNames = new Map<string, ScrubRules>();

/** The rules for this environment, built once per VERDICT_SENSITIVE_KEYS value. */
export function scrubRulesFor(env: Record<string, string | undefined> = process.env): ScrubRules {
  const key = setting("VERDICT_SENSITIVE_KEYS", env).join(",");
  let rules = byNames.get(key);
  if (!rules) byNames.set(key, (rules = scrubRules(env)));
  return rules;
}

const isAlnum = (c: string | undefined) => c !== undefined && /[A-Za-z0-9]/.test(c);

/**
 * Whether the text could hold a key named like a secret: a word of a secret name that starts
 * and ends where a word of a key can (keyWords): "tokens", "monkey", "keyword" do not count;
 * "X-Api-Key", "apiKey", "\nauthorization" (JSON-escaped) do. Only a prefilter (a few µs per
 * record): a hit is then checked key by key.
 */
export function mayHoldSecret(text: string, rules: ScrubRules): boolean {
  const re = rules.prefilter;
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const i = m.index;
    const j = i + m[0].length;
    const before = text[i - 1];
    // A word starts after a non-alphanumeric, at an upper-case letter, or after an escape
    // (JSON's \n, a URL's %5F).
    const startsWord = !isAlnum(before) || /[A-Z]/.test(text[i]) || (text[i - 2] === "\\" && /[a-z]/.test(before)) || text[i - 3] === "%";
    const endsWord = !(j < text.length && /[a-z0-9]/.test(text[j]));
    if (startsWord && endsWord) return true;
    re.lastIndex = i + 1;
  }
  return false;
}

/** 0: not a secret name; 1: a secret only as a query parameter; 2: a secret name anywhere. */
function classify(name: string, rules: ScrubRules): 0 | 1 | 2 {
  let c = rules.cache.get(name);
  if (c !== undefined) return c;
  const words = keyWords(name);
  const candidates = [...words, ...words.slice(1).map((w, i) => words[i] + w), words.join("")];
  c = candidates.some((w) => rules.names.has(w)) ? 2 : QUERY_ONLY.includes(words.join("")) ? 1 : 0;
  if (rules.cache.size > 10_000) rules.cache.clear();
  rules.cache.set(name, c);
  return c;
}

/** Exactly a secret name (not only named like one): then even a number or boolean is removed. */
const exactly = (name: string, rules: ScrubRules) => rules.names.has(norm(name));

export interface ScrubResult<T> {
  value: T;
  /** where something was removed: "request_payload.headers.Authorization", "source_url (query key)" */
  removed: string[];
}

interface Ctx {
  rules: ScrubRules;
  removed: string[];
  values: Set<string>;
}

/** Scrubs one record (any JSON value); returns the same object when nothing was found. */
export function scrubRecord<T>(record: T, rules: ScrubRules): ScrubResult<T> {
  // Nearly every record holds no secret name at all: its keys (cached) and strings decide.
  if (!holdsSecretWord(record as Json, rules)) return { value: record, removed: [] };
  const ctx: Ctx = { rules, removed: [], values: new Set() };
  let value = walk(record as Json, "", false, ctx);
  if (ctx.values.size) value = replaceRecurring(value, "", ctx);
  return { value: value as T, removed: ctx.removed };
}

/** Whether any key names a secret (query-only names included) or any string may hold one. */
function holdsSecretWord(v: Json, rules: ScrubRules): boolean {
  const stack: Json[] = [v];
  while (stack.length) {
    const x = stack.pop()!;
    if (typeof x === "string") {
      if (mayHoldSecret(x, rules)) return true;
    } else if (Array.isArray(x)) {
      for (const y of x) stack.push(y);
    } else if (x !== null && typeof x === "object") {
      for (const k in x) {
        if (!Object.hasOwn(x, k)) continue;
        if (classify(k, rules) > 0) return true;
        stack.push(x[k]);
      }
    }
  }
  return false;
}

/**
 * Whether a request body, as sent, may hold a secret: when it cannot, its records need no
 * scrubbing at all. Escaped ASCII letters (\u0041…) could hide a name from this test, so a
 * body holding any is checked record by record.
 */
export function bodyMayHoldSecret(text: string, rules: ScrubRules): boolean {
  return /\\u00[2-7]/i.test(text) || mayHoldSecret(text, rules);
}

function remember(v: Json, ctx: Ctx) {
  if (typeof v === "string") {
    // "Bearer abc…": the credential alone may recur elsewhere.
    for (const part of [v, ...v.split(/\s+/)]) if (part.length >= MIN_RECURRING && !part.startsWith("[secret removed")) ctx.values.add(part);
  } else if (Array.isArray(v)) v.forEach((x) => remember(x, ctx));
  else if (isPlainObject(v)) Object.values(v).forEach((x) => remember(x, ctx));
}

function mask(name: string, v: Json, at: string, ctx: Ctx): Json {
  remember(v, ctx);
  ctx.removed.push(at);
  return secretMarker(name);
}

const join = (at: string, k: string | number) => (at ? `${at}.${k}` : String(k));

function walk(v: Json, at: string, query: boolean, ctx: Ctx): Json {
  if (typeof v === "string") return scrubString(v, at, ctx);
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) {
    // ["Authorization", "Bearer …"]: a header or parameter pair.
    if (v.length === 2 && typeof v[0] === "string" && v[1] !== null && typeof v[1] !== "object" && classify(v[0], ctx.rules) > 0) {
      return [v[0], mask(v[0], v[1], join(at, 1), ctx)];
    }
    let changed = false;
    const out = v.map((x, i) => {
      const y = walk(x, join(at, i), query, ctx);
      if (y !== x) changed = true;
      return y;
    });
    return changed ? out : v;
  }
  const entryName = ENTRY_NAME_KEYS.map((k) => v[k]).find((n): n is string => typeof n === "string");
  const entrySecret = entryName !== undefined && "value" in v && v.value !== null && classify(entryName, ctx.rules) > 0;
  let changed = false;
  const entries = Object.entries(v).map(([k, x]): [string, Json] => {
    let y: Json;
    const c = classify(k, ctx.rules);
    if (entrySecret && k === "value") y = mask(entryName!, x, join(at, k), ctx);
    else if (x !== null && (c === 2 || (c === 1 && query)) && (exactly(k, ctx.rules) || c === 1 || (typeof x !== "number" && typeof x !== "boolean"))) {
      // Named like a secret: strings and structures go; a number under "token_count" stays.
      y = mask(k, x, join(at, k), ctx);
    } else y = walk(x, join(at, k), QUERY_CONTAINERS.has(norm(k)), ctx);
    if (y !== x) changed = true;
    return [k, y];
  });
  // fromEntries defines own properties, so a "__proto__" key stays data, never a prototype.
  return changed ? (Object.fromEntries(entries) as Json) : v;
}

const HEADER_LINE = /^([ \t]*)([A-Za-z0-9!#$%&'*+.^_`|~-]+)([ \t]*:[ \t]*)(\S.*?)([ \t]*)$/gm;
const PARAM = /(^|[?&;\s])([^=&#\s?;]+)=([^&#\s;]*)/g;

function decodeName(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    return s;
  }
}

function scrubString(s: string, at: string, ctx: Ctx): Json {
  if (!mayHoldSecret(s, ctx.rules)) return s;
  const t = s.trim();
  if (t[0] === '"' || t[0] === "{" || t[0] === "[") {
    // JSON text inside a string (a column given as text, a body logged as a string, or text
    // encoded twice): scrub what it holds, and write it back as JSON text.
    const parsed = tryJson(t);
    if (typeof parsed === "string") {
      const inner = scrubString(parsed, at, ctx);
      return inner === parsed ? s : JSON.stringify(inner);
    }
    if (parsed !== undefined && parsed !== null && typeof parsed === "object") {
      const out = walk(parsed, at, false, ctx);
      return out === parsed ? s : JSON.stringify(out);
    }
  }
  let out = /[{[]/.test(s) ? scrubEmbeddedJson(s, at, ctx) : s;
  if (out.includes(":")) {
    out = out.replace(HEADER_LINE, (line, lead: string, name: string, sep: string, value: string, trail: string) => {
      if (classify(name, ctx.rules) !== 2 || value.startsWith("[secret removed")) return line;
      remember(value, ctx);
      ctx.removed.push(`${at} (header ${name.toLowerCase()})`);
      return `${lead}${name}${sep}${secretMarker(name)}${trail}`;
    });
  }
  if (out.includes("=")) {
    out = out.replace(PARAM, (whole, lead: string, name: string, value: string) => {
      if (!value || classify(decodeName(name), ctx.rules) === 0 || value.startsWith("[secret")) return whole;
      remember(decodeName(value), ctx);
      ctx.removed.push(`${at} (parameter ${decodeName(name)})`);
      return `${lead}${name}=${secretMarker(decodeName(name))}`;
    });
  }
  return out;
}

function tryJson(t: string): Json | undefined {
  try {
    return JSON.parse(t) as Json;
  } catch {
    return undefined;
  }
}

/** At most this many JSON fragments are tried per string (bounds the work on "{{{{…"). */
const MAX_FRAGMENTS = 64;

/** JSON inside prose ("request was {"Authorization": …}"): each balanced {…} or […] that parses is scrubbed in place. */
function scrubEmbeddedJson(s: string, at: string, ctx: Ctx): string {
  let out = "";
  let from = 0;
  let tries = 0;
  for (let i = 0; i < s.length && tries < MAX_FRAGMENTS; i++) {
    if (s[i] !== "{" && s[i] !== "[") continue;
    tries++;
    const end = closingBracket(s, i);
    if (end < 0) continue;
    const parsed = tryJson(s.slice(i, end + 1));
    if (parsed === undefined || parsed === null || typeof parsed !== "object") continue;
    const scrubbed = walk(parsed, at, false, ctx);
    if (scrubbed !== parsed) {
      out += s.slice(from, i) + JSON.stringify(scrubbed);
      from = end + 1;
    }
    i = end;
  }
  return from === 0 ? s : out + s.slice(from);
}

/** The index of the bracket closing the one at `start` (strings skipped), or -1. */
function closingBracket(s: string, start: number): number {
  let depth = 0;
  for (let i = start; i < s.length; i++) {
    const c = s[i];
    if (c === '"') {
      for (i++; i < s.length && s[i] !== '"'; i++) if (s[i] === "\\") i++;
    } else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** A secret removed under its name is removed wherever else it appears in the same record. */
function replaceRecurring(v: Json, at: string, ctx: Ctx): Json {
  if (typeof v === "string") {
    let out = v;
    for (const secret of ctx.values) if (out.includes(secret)) out = out.split(secret).join(secretMarker("value seen under a secret name"));
    if (out !== v) ctx.removed.push(at);
    return out;
  }
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) {
    let changed = false;
    const out = v.map((x, i) => {
      const y = replaceRecurring(x, join(at, i), ctx);
      if (y !== x) changed = true;
      return y;
    });
    return changed ? out : v;
  }
  let changed = false;
  const entries = Object.entries(v).map(([k, x]): [string, Json] => {
    const y = replaceRecurring(x, join(at, k), ctx);
    if (y !== x) changed = true;
    return [k, y];
  });
  return changed ? (Object.fromEntries(entries) as Json) : v;
}
