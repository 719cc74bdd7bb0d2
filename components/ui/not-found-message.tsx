"use client";
// A not-found page that names what was asked for ("No agent 'x'"). Next's not-found files get
// no props, so the name comes from the route's params; the response stays a 404.
import Link from "next/link";
import { useParams } from "next/navigation";

export function NotFoundMessage({ what, param, hint, back }: { what: string; param: string; hint?: string; back?: { href: string; label: string } }) {
  const raw = useParams()[param];
  const value = decodeURIComponentSafe(Array.isArray(raw) ? raw.join("/") : (raw ?? ""));
  return (
    <div role="alert" className="mx-auto mt-12 max-w-lg space-y-2 rounded-lg border border-slate-200 bg-white p-6" data-testid="not-found">
      <h1 className="text-xl font-semibold break-all">
        No {what} &lsquo;{value}&rsquo;
      </h1>
      {hint ? <p className="text-slate-600">{hint}</p> : null}
      {back ? (
        <Link href={back.href} className="inline-block text-blue-700 underline">
          {back.label}
        </Link>
      ) : null}
    </div>
  );
}

function decodeURIComponentSafe(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}
