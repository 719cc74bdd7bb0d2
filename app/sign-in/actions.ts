"use server";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { makeSession, safeEqual, SESSION_COOKIE } from "@/lib/http/auth";
import { failureLimiter } from "@/lib/http/rate-limit";

const g = globalThis as unknown as { __verdictSignInLimiter?: ReturnType<typeof failureLimiter> };
const limiter = (g.__verdictSignInLimiter ??= failureLimiter(10));

export async function signIn(_prev: { error?: string } | undefined, form: FormData): Promise<{ error?: string }> {
  const expected = process.env.VERDICT_ADMIN_PASSWORD;
  if (!expected) redirect("/");
  const h = await headers();
  const client = (h.get("x-forwarded-for") ?? "local").split(",")[0].trim();
  const wait = limiter.blocked(client);
  if (wait > 0) return { error: `Too many failed attempts; try again in ${wait} s.` };
  if (!safeEqual(String(form.get("password") ?? ""), expected)) {
    limiter.fail(client);
    return { error: "That password is not right." };
  }
  (await cookies()).set(SESSION_COOKIE, makeSession(), {
    httpOnly: true,
    sameSite: "lax",
    secure: h.get("x-forwarded-proto") === "https",
    path: "/",
    maxAge: 7 * 24 * 3600,
  });
  const next = String(form.get("next") ?? "/");
  // Only a path on this site: "//host" and "/\\host" would leave it.
  redirect(/^\/(?![\/\\])/.test(next) ? next : "/");
}
