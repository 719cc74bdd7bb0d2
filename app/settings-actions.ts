"use server";
// Server actions behind the Settings page (retention and legal holds). Next.js checks the
// Origin of action requests; each action checks the dashboard session first and parses its
// input with the API's own schemas. The dashboard has one admin password, so the actor is "dashboard".
import { revalidatePath } from "next/cache";
import { hasDashboardAccess } from "@/lib/http/dashboard-session";
import { ApiError, zodDetails } from "@/lib/http/errors";
import { createLegalHoldSchema, releaseCaughtSchema, releaseSchema, storedRetentionSchema } from "@/lib/api-contract/retention";
import { placeHold, releaseCaught, releaseHold, storeRetention } from "@/lib/retention/holds";

export type ActionResult = { ok: true } | { ok: false; message: string; fields: Record<string, string> };

const DENIED: ActionResult = { ok: false, message: "Sign in to change settings.", fields: {} };

async function act(schema: { safeParse: (v: unknown) => { success: true; data: unknown } | { success: false; error: import("zod").ZodError } }, input: unknown, run: (data: never) => Promise<unknown>): Promise<ActionResult> {
  if (!(await hasDashboardAccess())) return DENIED;
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const details = zodDetails(parsed.error);
    return { ok: false, message: "Some fields are not valid.", fields: Object.fromEntries(details.map((d) => [d.path, d.message])) };
  }
  try {
    await run(parsed.data as never);
    revalidatePath("/settings");
    return { ok: true };
  } catch (e) {
    if (e instanceof ApiError) return { ok: false, message: e.message, fields: Object.fromEntries(e.details.map((d) => [d.path, d.message])) };
    console.error("[verdict] settings action failed:", e);
    return { ok: false, message: "Verdict could not save this; nothing was changed.", fields: {} };
  }
}

export async function saveRetentionAction(input: unknown): Promise<ActionResult> {
  return act(storedRetentionSchema, input, (d) => storeRetention(d));
}

export async function placeHoldAction(input: unknown): Promise<ActionResult> {
  return act(createLegalHoldSchema, input, (d) => placeHold(d, "dashboard"));
}

export async function releaseHoldAction(id: unknown, input: unknown): Promise<ActionResult> {
  if (typeof id !== "string") return { ok: false, message: "No such hold.", fields: {} };
  return act(releaseSchema, input, (d: { reason: string }) => releaseHold(id, "dashboard", d.reason));
}

export async function releaseCaughtAction(input: unknown): Promise<ActionResult> {
  return act(releaseCaughtSchema, input, (d: { handoff_id: string; reason: string }) => releaseCaught(d.handoff_id, "dashboard", d.reason));
}
