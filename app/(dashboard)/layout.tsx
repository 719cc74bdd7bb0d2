import { Providers } from "@/components/providers";
import { MainNav } from "@/components/ui/main-nav";
import { requireDashboardAccess } from "@/lib/http/dashboard-session";
import { signInRequired } from "@/lib/http/auth";

// Checks access too, but is not the guard: a navigation request renders only the page, so
// every page checks for itself (requireDashboardAccess / dashboardDb), and proxy.ts before both.
export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  await requireDashboardAccess();
  return (
    <Providers>
      <MainNav signOut={signInRequired()} />
      <main className="mx-auto max-w-7xl px-4 py-6 sm:px-6">{children}</main>
    </Providers>
  );
}
