import Link from "next/link";
import { NavLink } from "./nav-link";

export const NAV_ITEMS = [
  { href: "/agents", label: "Agents" },
  { href: "/handoffs", label: "Handoffs" },
  { href: "/policy", label: "Policy decisions" },
  { href: "/shares", label: "Shares" },
  { href: "/alerts", label: "Alerts" },
  { href: "/settings", label: "Settings" },
  { href: "/evidence", label: "Evidence" },
] as const;

/** signOut: show the Sign out button (only when sign-in is required). */
export function MainNav({ signOut = false }: { signOut?: boolean }) {
  return (
    <header className="border-b border-slate-200 bg-white">
      <nav aria-label="Main" className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 sm:px-6">
        <Link href="/" className="text-lg font-semibold tracking-tight text-slate-900">
          Verdict
        </Link>
        <ul className="flex flex-wrap gap-1 text-sm">
          {NAV_ITEMS.map((item) => (
            <li key={item.href}>
              <NavLink href={item.href}>{item.label}</NavLink>
            </li>
          ))}
        </ul>
        {signOut ? (
          // A plain form post: works without JavaScript, and a GET (a prefetch) can never sign anyone out.
          <form method="post" action="/api/sign-out" className="ml-auto">
            <button type="submit" className="rounded px-3 py-1.5 text-sm text-slate-600 hover:bg-slate-100 hover:text-slate-900">Sign out</button>
          </form>
        ) : null}
      </nav>
    </header>
  );
}
