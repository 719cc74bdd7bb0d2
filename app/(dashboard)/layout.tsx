import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { Providers } from "@/components/providers";
import { MainNav } from "@/components/ui/main-nav";
import { hasDashboardAccess } from "@/lib/http/dashboard-session";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  if (!(await hasDashboardAccess())) {
    const path = (await headers()).get("x-verdict-path") ?? "/";
    redirect(`/sign-in?next=${encodeURIComponent(path)}`);
  }
  return (
    <Providers>
      <MainNav />
      <main className="mx-auto max-w-7xl px-6 py-6">{children}</main>
    </Providers>
  );
}
