// How a deletion reads where its gap shows (pages, CLI): pure, so components may use it.

/** "127 records deleted by retention on 2026-12-01" */
export function gapSentence(g: { actor: string; at: string; records: number }): string {
  const by = g.actor === "retention" ? "by retention" : `by ${g.actor}`;
  return `${g.records} record${g.records === 1 ? "" : "s"} deleted ${by} on ${g.at.slice(0, 10)}`;
}
