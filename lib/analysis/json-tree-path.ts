// A JSONPath of the simple kind claims use ($.a.b[0]['c d']) as a list of keys/indices.
// Anything fancier (wildcards, filters) yields null: nothing is highlighted rather than the wrong node.
export type PathSegment = string | number;

export function parseSimpleJsonPath(path: string): PathSegment[] | null {
  const text = path.trim();
  if (!text.startsWith("$")) return null;
  const out: PathSegment[] = [];
  let i = 1;
  while (i < text.length) {
    if (text[i] === ".") {
      const m = /^\.([A-Za-z_$][\w$-]*)/.exec(text.slice(i));
      if (!m) return null;
      out.push(m[1]);
      i += m[0].length;
    } else if (text[i] === "[") {
      const m = /^\[(?:(\d+)|'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\]/.exec(text.slice(i));
      if (!m) return null;
      out.push(m[1] !== undefined ? Number(m[1]) : (m[2] ?? m[3]).replace(/\\(.)/g, "$1"));
      i += m[0].length;
    } else {
      return null;
    }
  }
  return out;
}

/** Display form of a path: $.a.b[0]["c d"]. */
export function formatJsonPath(segments: PathSegment[]): string {
  return (
    "$" +
    segments
      .map((s) => (typeof s === "number" ? `[${s}]` : /^[A-Za-z_$][\w$]*$/.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`))
      .join("")
  );
}

/** True when `prefix` is the start of (or equal to) `path`. */
export function isPathPrefix(prefix: PathSegment[], path: PathSegment[]): boolean {
  return prefix.length <= path.length && prefix.every((s, i) => s === path[i]);
}
