import { dashboardDb } from "@/lib/http/dashboard-session";
import { pageParamProblems } from "@/lib/http/page-params";
import { InvalidRequest } from "@/components/ui/invalid-request";
import { loadPolicyDecisions, policyFacets } from "@/lib/policy/service";
import { POLICY_FILTER_KEYS, policyDecisionsQuerySchema, type PolicyFilter } from "@/lib/api-contract/policy";
import { PolicyDecisionsView } from "@/components/policy/policy-decisions-view";

export const dynamic = "force-dynamic";
export const metadata = { title: "Policy decisions" };

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;

export default async function PolicyPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const problems = pageParamProblems({}, sp);
  if (problems.length) return <InvalidRequest details={problems} back={{ href: "/policy", label: "Show all decisions" }} />;
  const filter: PolicyFilter = Object.fromEntries(POLICY_FILTER_KEYS.map((k) => [k, one(sp[k])]).filter(([, v]) => v));
  const parsed = policyDecisionsQuerySchema.safeParse(filter);
  const conn = await dashboardDb();
  const facets = await policyFacets(conn);
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">Policy decisions</h1>
        <p className="text-sm text-slate-600">
          The policy gate calls one callback per triggering edge of a tool call. Here is each invocation, the edge that triggered it, and what the gate did with the call.
        </p>
      </div>
      {parsed.success ? (
        <PolicyDecisionsView filter={filter} facets={facets} initialData={await loadPolicyDecisions(parsed.data, conn)} />
      ) : (
        <p role="alert" className="rounded border border-red-300 bg-red-50 p-4 text-sm text-red-800">
          These filters are not valid: {parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}. <a className="underline" href="/policy">Show all decisions</a>
        </p>
      )}
    </div>
  );
}
