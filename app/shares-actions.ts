"use server";
// Server actions behind the dashboard's Share button and Shares page. Next.js checks the
// Origin of action requests, and each action checks the dashboard session first.
import { revalidatePath } from "next/cache";
import { hasDashboardAccess } from "@/lib/http/dashboard-session";
import { ApiError } from "@/lib/http/errors";
import { createShare, revoke } from "@/lib/shares/service";
import type { ShareResourceType } from "@/lib/api-contract/shares";

export type ShareActionResult = { ok: true; url: string; expires_at: string } | { ok: false; message: string };

export async function createShareAction(input: {
  resource_type: ShareResourceType;
  resource_id: string;
  expires_in_seconds: number;
  redact_payloads: boolean;
}): Promise<ShareActionResult> {
  if (!(await hasDashboardAccess())) return { ok: false, message: "Sign in to share." };
  try {
    const s = await createShare(input);
    revalidatePath("/shares");
    return { ok: true, url: s.url, expires_at: s.expires_at };
  } catch (e) {
    return { ok: false, message: e instanceof ApiError ? e.message : "The link could not be created." };
  }
}

export async function revokeShareAction(id: string): Promise<{ ok: boolean; message?: string }> {
  if (!(await hasDashboardAccess())) return { ok: false, message: "Sign in to revoke links." };
  try {
    await revoke(id);
    revalidatePath("/shares");
    return { ok: true };
  } catch (e) {
    return { ok: false, message: e instanceof ApiError ? e.message : "The link could not be revoked." };
  }
}
