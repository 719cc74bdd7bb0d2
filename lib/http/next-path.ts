// Where sign-in may send the browser afterwards: a path on this site and nothing else.
// Refused: anything not starting with one "/", "//" anywhere (a protocol-relative URL once
// a browser drops what precedes it), a backslash (browsers read it as "/"), and control
// characters (browsers drop tab and newline, turning "/\t/evil.example" into
// "//evil.example"; CR and LF cannot go into a Location header at all).

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export function safeNextPath(next: unknown, fallback = "/"): string {
  if (typeof next !== "string" || next.length === 0 || next.length > 2048) return fallback;
  if (!next.startsWith("/") || next.includes("//") || next.includes("\\") || CONTROL.test(next)) return fallback;
  // Belt and braces: resolved against a stand-in origin, it must stay on that origin.
  try {
    const u = new URL(next, "http://verdict.invalid");
    if (u.origin !== "http://verdict.invalid") return fallback;
    return u.pathname + u.search + u.hash;
  } catch {
    return fallback;
  }
}
