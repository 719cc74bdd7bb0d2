"use server";
// Server actions behind the Alerts page. Next.js checks the Origin of action requests, and
// each action checks the dashboard session first (the API needs the write key instead).
import { revalidatePath } from "next/cache";
import { hasDashboardAccess } from "@/lib/http/dashboard-session";
import { ApiError } from "@/lib/http/errors";
import { createAlertRule, removeAlertRule, sendTestAlert } from "@/lib/alerts/service";
import type { CreateAlertRuleInput, DeliveryView } from "@/lib/api-contract/alerts";

export type CreateRuleResult = { ok: true; id: string; secret: string } | { ok: false; message: string; fields: Record<string, string> };

const failure = (e: unknown, fallback: string) => (e instanceof ApiError ? e.message : fallback);

export async function createAlertRuleAction(input: CreateAlertRuleInput): Promise<CreateRuleResult> {
  if (!(await hasDashboardAccess())) return { ok: false, message: "Sign in to manage alerts.", fields: {} };
  try {
    const rule = await createAlertRule(input);
    revalidatePath("/alerts");
    return { ok: true, id: rule.id, secret: rule.secret };
  } catch (e) {
    const fields = e instanceof ApiError ? Object.fromEntries(e.details.map((d) => [d.path, d.message])) : {};
    return { ok: false, message: failure(e, "The rule could not be created."), fields };
  }
}

export async function deleteAlertRuleAction(id: string): Promise<{ ok: boolean; message?: string }> {
  if (!(await hasDashboardAccess())) return { ok: false, message: "Sign in to manage alerts." };
  try {
    await removeAlertRule(id);
    revalidatePath("/alerts");
    return { ok: true };
  } catch (e) {
    return { ok: false, message: failure(e, "The rule could not be deleted.") };
  }
}

export async function sendTestAlertAction(id: string): Promise<{ ok: true; delivery: DeliveryView } | { ok: false; message: string }> {
  if (!(await hasDashboardAccess())) return { ok: false, message: "Sign in to manage alerts." };
  try {
    const delivery = await sendTestAlert(id);
    revalidatePath("/alerts");
    return { ok: true, delivery };
  } catch (e) {
    return { ok: false, message: failure(e, "The test could not be sent.") };
  }
}
