// A structured diff of claimed vs recorded, by path: what the claim adds, drops or changes
// relative to the recording. jsondiffpatch computes the delta; this flattens it into rows.
import { create, type Delta } from "jsondiffpatch";
import { formatJsonPath, parseSimpleJsonPath, type PathSegment } from "./json-tree-path";
import type { Json } from "../records/json";

export type DiffOp = "added" | "removed" | "changed";

export interface DiffEntry {
  op: DiffOp;
  /** JSONPath of the node, from the response root ($.current.temperature_2m) */
  path: string;
  /** the recorded value (absent for "added") */
  recorded?: Json;
  /** the claimed value (absent for "removed") */
  claimed?: Json;
}

// Array elements are matched as jsondiffpatch does (longest common subsequence); moves are
// reported as a removal plus an addition, which reads better in a claim-vs-record view.
const differ = create({ arrays: { detectMove: false }, objectHash: undefined });

/**
 * The diff of `claimed` against `recorded`, with paths below `basePath` (the claim's json_path,
 * so rows name the place in the whole response). A missing recorded value is "added".
 */
export function jsonDiff(recorded: Json | undefined, claimed: Json | undefined, basePath = "$"): DiffEntry[] {
  const base = parseSimpleJsonPath(basePath) ?? [];
  const baseLabel = parseSimpleJsonPath(basePath) ? null : basePath; // a fancy path is shown as given
  const at = (rel: PathSegment[]) => (baseLabel && rel.length === 0 ? baseLabel : baseLabel ? `${baseLabel}${formatJsonPath(rel).slice(1)}` : formatJsonPath([...base, ...rel]));
  if (recorded === undefined && claimed === undefined) return [];
  if (recorded === undefined) return [{ op: "added", path: at([]), claimed: claimed as Json }];
  if (claimed === undefined) return [{ op: "removed", path: at([]), recorded }];
  const delta = differ.diff(recorded, claimed);
  const out: DiffEntry[] = [];
  if (delta !== undefined) walk(delta, [], recorded, out, at);
  return out;
}

function walk(delta: Delta, rel: PathSegment[], recorded: Json | undefined, out: DiffEntry[], at: (p: PathSegment[]) => string): void {
  if (Array.isArray(delta)) {
    if (delta.length === 1) out.push({ op: "added", path: at(rel), claimed: delta[0] as Json });
    else if (delta.length === 2) out.push({ op: "changed", path: at(rel), recorded: delta[0] as Json, claimed: delta[1] as Json });
    else if (delta.length === 3 && delta[2] === 0) out.push({ op: "removed", path: at(rel), recorded: delta[0] as Json });
    else out.push({ op: "changed", path: at(rel), recorded, claimed: undefined }); // text diff or move: not produced with these options
    return;
  }
  const obj = delta as Record<string, Delta>;
  const isArray = (obj as Record<string, unknown>)._t === "a";
  const keys = Object.keys(obj).filter((k) => k !== "_t");
  for (const k of keys.sort(byIndex)) {
    // In array deltas "_3" is the old element 3 (removed), "3" the new element 3.
    const seg: PathSegment = isArray ? Number(k.replace(/^_/, "")) : k;
    const child = recorded !== null && typeof recorded === "object" ? (recorded as Record<string | number, Json>)[seg] : undefined;
    walk(obj[k], [...rel, seg], child, out, at);
  }
}

function byIndex(a: string, b: string): number {
  const na = Number(a.replace(/^_/, ""));
  const nb = Number(b.replace(/^_/, ""));
  return Number.isNaN(na) || Number.isNaN(nb) ? a.localeCompare(b) : na - nb || (a.startsWith("_") ? -1 : 1);
}
