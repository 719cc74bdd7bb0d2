// The dashboard's own access check, for pages and server actions: open when no admin
// password is set (Verdict then listens on 127.0.0.1 only), else a valid session cookie.
// Every page calls requireDashboardAccess (or takes its database through dashboardDb)
// before it reads anything: a layout's check does not run for a request that renders only
// the page (an RSC navigation), so the page itself must check.
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "../db/client";
import { signInRequired } from "./auth";
import { safeNextPath } from "./next-path";
import { isValidSession, SESSION_COOKIE } from "./session";

export async function hasDashboardAccess(): Promise<boolean> {
  if (!signInRequired()) return true;
  return isValidSession((await cookies()).get(SESSION_COOKIE)?.value);
}

/** Sends a visitor without a session to sign-in (and back to this page afterwards). */
export async function requireDashboardAccess(): Promise<void> {
  if (await hasDashboardAccess()) return;
  const path = safeNextPath((await headers()).get("x-verdict-path"));
  redirect(`/sign-in?next=${encodeURIComponent(path)}`);
}

/** The database, for a dashboard page, once the visitor may read it. */
export async function dashboardDb(): Promise<ReturnType<typeof getDb>> {
  await requireDashboardAccess();
  return getDb();
}
