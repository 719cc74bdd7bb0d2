// `verdict delete --agent X | --source S --reason "…"`: a data-subject request. Deletes every
// record of the agent (or the source) except what is on legal hold, leaves tombstones, and
// logs the deletion with who ran it and why (docs/retention.md).
import os from "node:os";
import { parseArgs } from "node:util";
import { createInterface } from "node:readline/promises";
import { getDb } from "../db/client";
import { runDeletion, type DeletionScope } from "../retention/deletion";
import { recordCountsOf } from "../db/queries/delete-records";
import { gapSentence } from "../records/deletion-gap";

export const DELETE_HELP = `verdict delete (--agent ID | --source NAME) --reason TEXT [--yes]

Deletes every intercept, policy decision and handoff of one agent (or one source), for a
data-subject request. Records on legal hold stay (CAUGHT handoffs and what they rest on,
and anything held on the Settings page or through /api/v1/legal-holds). Each deleted record
leaves a tombstone, so the hash chain still verifies and the gap is visible; the deletion
is logged with who ran it (cli:<your user name>) and the reason. Runs in batches, so the
server may keep ingesting.

Options:
  --agent ID       the agent whose records go
  --source NAME    the source whose records go (e.g. an importer's name)
  --reason TEXT    why (kept in the deletion log); required
  --yes            do not ask for confirmation
  --batch-size N   records per transaction, 100..50000 (default 5000)`;

export interface DeleteIo {
  out: (s: string) => void;
  err?: (s: string) => void;
  /** answers the confirmation question (default: asks on the terminal) */
  confirm?: (question: string) => Promise<boolean>;
  user?: string;
}

async function askTerminal(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

export async function deleteCommand(args: string[], io: DeleteIo): Promise<number> {
  const err = io.err ?? ((s: string) => process.stderr.write(s + "\n"));
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: { agent: { type: "string" }, source: { type: "string" }, reason: { type: "string" }, yes: { type: "boolean", short: "y" }, "batch-size": { type: "string" }, help: { type: "boolean", short: "h" } },
      strict: true,
    }));
  } catch (e) {
    return usage(err, (e as Error).message);
  }
  if (values.help) {
    io.out(DELETE_HELP);
    return 0;
  }
  if ((values.agent === undefined) === (values.source === undefined)) return usage(err, "give exactly one of --agent or --source");
  const target = (values.agent ?? values.source ?? "").trim();
  if (!target) return usage(err, `--${values.agent !== undefined ? "agent" : "source"} needs a value`);
  const reason = values.reason?.trim();
  if (!reason) return usage(err, "--reason is required: it is kept in the deletion log");
  const batchSize = values["batch-size"] === undefined ? 5000 : Number(values["batch-size"]);
  if (!Number.isInteger(batchSize) || batchSize < 100 || batchSize > 50_000) return usage(err, "--batch-size must be a whole number from 100 to 50000");

  const scope: DeletionScope = values.agent !== undefined ? { kind: "agent", agent_id: target } : { kind: "source", source: target };
  const h = getDb();
  const counts = await recordCountsOf(h, scope.kind === "agent" ? "agent_id" : "source", target);
  const total = counts.reduce((a, b) => a + b, 0);
  const what = scope.kind === "agent" ? `agent "${target}"` : `source "${target}"`;
  if (total === 0) {
    io.out(`No records of ${what}: nothing to delete.`);
    return 0;
  }
  const question = `Delete ${total.toLocaleString("en-US")} records of ${what} (${counts[0]} intercepts, ${counts[1]} policy decisions, ${counts[2]} handoffs), except those on legal hold?`;
  if (!values.yes) {
    const ok = await (io.confirm ?? askTerminal)(question);
    if (!ok) {
      err("Nothing deleted (not confirmed; pass --yes to confirm without a prompt).");
      return 1;
    }
  }
  const actor = `cli:${io.user ?? safeUser()}`;
  const r = await runDeletion(h, { scope, actor, reason, batchSize });
  const deleted = r.counts.intercepts + r.counts.policy_decisions + r.counts.handoffs;
  io.out(`${gapSentence({ actor, at: new Date().toISOString(), records: deleted })} (${r.counts.intercepts} intercepts, ${r.counts.policy_decisions} policy decisions, ${r.counts.handoffs} handoffs); ${r.held} kept on legal hold. Deletion ${r.id}.`);
  return 0;
}

function safeUser(): string {
  try {
    return os.userInfo().username || "unknown";
  } catch {
    return process.env.USER ?? "unknown";
  }
}

function usage(err: (s: string) => void, message: string): number {
  err(`verdict delete: ${message}\n\n${DELETE_HELP}`);
  return 2;
}
