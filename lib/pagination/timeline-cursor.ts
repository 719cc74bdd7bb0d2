// The timeline's cursor: the last event's (ts, rank, id), where rank orders the three tables
// at the same instant. Encoded with the one cursor codec (./cursor.ts); the query seeks with
// it, the service writes it into every event and next_cursor, the API contract decodes it.

import { decodeCursor, encodeCursor } from "./cursor";

/** Order of the tables at the same instant (part of the cursor). */
export const TIMELINE_RANK = { intercept: 0, policy_decision: 1, handoff: 2 } as const;

export interface TimelineCursor {
  ts: number;
  rank: number;
  id: string;
}

export const encodeTimelineCursor = (c: TimelineCursor): string => encodeCursor([c.ts, c.rank, c.id]);

/** The cursor, or null when it is not one of ours (the routes answer 400). */
export function decodeTimelineCursor(text: string): TimelineCursor | null {
  const key = decodeCursor(text, ["int", [TIMELINE_RANK.intercept, TIMELINE_RANK.policy_decision, TIMELINE_RANK.handoff], "id"] as const);
  return key && { ts: key[0], rank: key[1], id: key[2] };
}
