// The dashboard's own access check, for pages and server actions: open when no admin
// password is set (Verdict then listens on 127.0.0.1 only), else a valid session cookie.
import { cookies } from "next/headers";
import { isValidSession, SESSION_COOKIE, signInRequired } from "./auth";

export async function hasDashboardAccess(): Promise<boolean> {
  if (!signInRequired()) return true;
  return isValidSession((await cookies()).get(SESSION_COOKIE)?.value);
}
