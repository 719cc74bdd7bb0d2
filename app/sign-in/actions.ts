"use server";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { safeEqual } from "@/lib/http/auth";
import { makeSession, SESSION_COOKIE, sessionCookieOptions } from "@/lib/http/session";
import { clientAddress } from "@/lib/http/peer-address";
import { safeNextPath } from "@/lib/http/next-path";
import { authLimiter } from "@/lib/http/rate-limit";
import { setting } from "@/lib/config/server-env";

export async function signIn(_prev: { error?: string } | undefined, form: FormData): Promise<{ error?: string }> {
  const expected = setting("VERDICT_ADMIN_PASSWORD");
  if (!expected) redirect("/");
  const h = await headers();
  const password = String(form.get("password") ?? "");
  const client = clientAddress(h);
  const limiter = authLimiter();
  // The password is the one guessable credential, so a client over the limit is held back
  // even with the right one (signed-in sessions and API keys are never held back).
  const wait = limiter.blocked(client, password);
  if (wait > 0) return { error: `Too many failed attempts; try again in ${wait} s.` };
  if (!safeEqual(password, expected)) {
    limiter.fail(client, password);
    return { error: "That password is not right." };
  }
  (await cookies()).set(SESSION_COOKIE, await makeSession(), sessionCookieOptions(h));
  redirect(safeNextPath(form.get("next")));
}
