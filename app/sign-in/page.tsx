import { SignInForm } from "./sign-in-form";
import { safeNextPath } from "@/lib/http/next-path";

export const metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  return (
    <main className="mx-4 mt-24 max-w-sm rounded-lg sm:mx-auto border border-slate-200 bg-white p-6">
      <h1 className="mb-4 text-xl font-semibold">Sign in to Verdict</h1>
      <SignInForm next={safeNextPath(next)} />
    </main>
  );
}
