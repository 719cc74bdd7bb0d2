// What a handoff's verdict rests on, for export bundles: the intercepts its analysis read.
import type { Db } from "../client";
import type { Dialect } from "../config";
import { getHandoffDetail } from "./handoffs";
import type { HandoffEvidenceIds } from "./export";

export const handoffEvidenceIds = (conn: { db: Db; dialect: Dialect }): HandoffEvidenceIds => async (handoffId) => {
  const detail = await getHandoffDetail(conn, handoffId);
  return detail ? Object.keys(detail.intercepts) : null;
};
