"use client";
// A collapsible JSON tree. `highlightPath` (a simple JSONPath such as $.current.temperature_2m)
// marks one node and opens every level above it, so a claim's field is found at a glance.
import { useState } from "react";
import { formatJsonPath, isPathPrefix, parseSimpleJsonPath, type PathSegment } from "@/lib/analysis/json-tree-path";
import { CopyButton } from "@/components/ui/copy-button";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface JsonTreeProps {
  value: unknown;
  highlightPath?: string;
  defaultExpandDepth?: number;
  /** Shows a "Copy" button for the whole value (default true). */
  copyable?: boolean;
  label?: string;
}

export function JsonTree({ value, highlightPath, defaultExpandDepth = 2, copyable = true, label }: JsonTreeProps) {
  const highlight = highlightPath ? parseSimpleJsonPath(highlightPath) : null;
  return (
    <div className="relative rounded border border-slate-200 bg-slate-50 p-2 font-mono text-xs" data-testid="json-tree" aria-label={label}>
      {copyable ? (
        <div className="absolute right-2 top-2">
          <CopyButton text={JSON.stringify(value, null, 2) ?? "null"} label={label ? `Copy ${label}` : "Copy JSON"} />
        </div>
      ) : null}
      <ul className="pr-16">
        <Node name={null} value={value as Json} path={[]} depth={0} expandDepth={defaultExpandDepth} highlight={highlight} />
      </ul>
    </div>
  );
}

interface NodeProps {
  name: PathSegment | null;
  value: Json;
  path: PathSegment[];
  depth: number;
  expandDepth: number;
  highlight: PathSegment[] | null;
}

function Node({ name, value, path, depth, expandDepth, highlight }: NodeProps) {
  const onHighlightRoute = highlight !== null && isPathPrefix(path, highlight);
  const isHighlighted = onHighlightRoute && highlight!.length === path.length;
  const [open, setOpen] = useState(depth < expandDepth || (onHighlightRoute && !isHighlighted));
  const key =
    name === null ? null : (
      <span className="text-slate-500">{typeof name === "number" ? `${name}` : JSON.stringify(name)}: </span>
    );
  const mark = isHighlighted ? "rounded bg-amber-200 ring-1 ring-amber-500" : "";
  const pathLabel = formatJsonPath(path);

  if (value !== null && typeof value === "object") {
    const entries: [PathSegment, Json][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    const [openBr, closeBr] = Array.isArray(value) ? ["[", "]"] : ["{", "}"];
    return (
      <li className={mark} data-json-path={pathLabel} data-highlighted={isHighlighted || undefined}>
        <button
          type="button"
          onClick={() => setOpen(!open)}
          aria-expanded={open}
          aria-label={`${open ? "Collapse" : "Expand"} ${pathLabel}`}
          className="mr-1 inline-block w-3 text-slate-500 hover:text-slate-900"
        >
          {open ? "▾" : "▸"}
        </button>
        {key}
        {open ? (
          <>
            <span className="text-slate-500">{openBr}</span>
            <ul className="ml-4 border-l border-slate-200 pl-2">
              {entries.map(([k, v]) => (
                <Node key={String(k)} name={k} value={v} path={[...path, k]} depth={depth + 1} expandDepth={expandDepth} highlight={highlight} />
              ))}
            </ul>
            <span className="text-slate-500">{closeBr}</span>
          </>
        ) : (
          <button type="button" onClick={() => setOpen(true)} className="text-slate-500 hover:text-slate-900">
            {openBr} {entries.length} {Array.isArray(value) ? "items" : "keys"} {closeBr}
          </button>
        )}
      </li>
    );
  }
  return (
    <li className={mark} data-json-path={pathLabel} data-highlighted={isHighlighted || undefined}>
      <span className="mr-1 inline-block w-3" />
      {key}
      <Scalar value={value} />
    </li>
  );
}

function Scalar({ value }: { value: null | boolean | number | string }) {
  if (value === null) return <span className="text-slate-600">null</span>;
  if (typeof value === "string") return <span className="whitespace-pre-wrap break-all text-emerald-700">{JSON.stringify(value)}</span>;
  if (typeof value === "number") return <span className="text-blue-700">{String(value)}</span>;
  return <span className="text-purple-700">{String(value)}</span>;
}
