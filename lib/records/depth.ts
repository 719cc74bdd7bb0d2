// Concept-graph depth levels of the policy gate (docs/records.md, Policy decisions).
export const DEPTH_NAMES = ["EXISTENCE", "IDENTITY", "CAPABILITIES", "CONSTRAINTS", "IMPLICATIONS"] as const;

/** Accepts 2, "2", "CAPABILITIES", "D2 CAPABILITIES" (any case). Returns the level or an error message. */
export function parseDepth(value: number | string): number | string {
  if (typeof value === "number") {
    return Number.isInteger(value) && value >= 0 && value < DEPTH_NAMES.length ? value : `depth ${value} is not a level 0–4`;
  }
  const text = value.trim().toUpperCase();
  if (/^\d+$/.test(text)) return parseDepth(Number(text));
  const label = /^D(\d)\s+([A-Z_]+)$/.exec(text);
  if (label) {
    const level = Number(label[1]);
    return DEPTH_NAMES[level] === label[2] ? level : `depth label "${value}" does not match a level (e.g. "D2 CAPABILITIES")`;
  }
  const byName = DEPTH_NAMES.indexOf(text as (typeof DEPTH_NAMES)[number]);
  return byName >= 0 ? byName : `depth "${value}" is not a level (EXISTENCE, IDENTITY, CAPABILITIES, CONSTRAINTS, IMPLICATIONS)`;
}

/** Display form: "D2 CAPABILITIES". */
export function depthLabel(level: number | null | undefined): string {
  return level === null || level === undefined ? "—" : `D${level} ${DEPTH_NAMES[level] ?? "?"}`;
}
