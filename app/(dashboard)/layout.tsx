import { Providers } from "@/components/providers";
import { MainNav } from "@/components/ui/main-nav";

export default function DashboardLayout({ children }: { children: React.ReactNode }) {
  return (
    <Providers>
      <MainNav />
      <main className="mx-auto max-w-7xl px-6 py-6">{children}</main>
    </Providers>
  );
}
