// The read-only page behind a share link: exactly the shared resource, no navigation to
// anything else, no edit or share controls. Unknown, expired and revoked tokens all get
// the same 404 page.
import { notFound } from "next/navigation";
import type { Metadata } from "next";
import { openShare } from "@/lib/shares/service";
import { sharedAgentPage, sharedHandoff, sharedIntercept } from "@/lib/shares/shared-data";
import { SharedBanner } from "@/components/share/shared-banner";
import { HandoffDetailView } from "@/components/handoff/handoff-detail-view";
import { SharedAgentView } from "@/components/share/shared-agent-view";
import { Providers } from "@/components/providers";
import { InterceptView } from "@/components/timeline/intercept-view";
import { SharedEvidence } from "@/components/share/shared-evidence";
import { sharedEvidenceSummary } from "@/lib/shares/shared-evidence";
import { timelineViewFromPage } from "@/lib/timeline/filter";
import { sharedScope } from "@/lib/records/record-links";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Shared view", robots: { index: false, follow: false }, referrer: "no-referrer" };

type Search = Record<string, string | string[] | undefined>;

export default async function SharedPage({ params, searchParams }: { params: Promise<{ token: string }>; searchParams: Promise<Search> }) {
  const { token } = await params;
  const share = await openShare(token, { countView: true });
  if (!share) notFound();
  const evidence = await sharedEvidenceSummary(share);
  const banner = (label: string) => (
    <>
      <SharedBanner resourceLabel={label} expiresAt={share.expiresAt} redacted={share.redactPayloads} />
      {evidence ? <SharedEvidence href={`/api/s/${token}/evidence`} redacted={share.redactPayloads} {...evidence} /> : null}
    </>
  );

  if (share.resourceType === "handoff") {
    const handoff = await sharedHandoff(share);
    if (!handoff) notFound();
    return (
      <>
        {banner(`handoff ${handoff.source_id ?? handoff.id}`)}
        <main className="mx-auto max-w-7xl px-4 py-6 sm:px-6">
          <HandoffDetailView handoff={handoff} links={null} />
        </main>
      </>
    );
  }
  if (share.resourceType === "intercept") {
    const intercept = await sharedIntercept(share, share.resourceId);
    if (!intercept) notFound();
    return (
      <>
        {banner(`a recorded call of agent ${intercept.agent_id}`)}
        <main className="mx-auto max-w-7xl px-4 py-6 sm:px-6">
          <InterceptView intercept={intercept} linkable={false} />
        </main>
      </>
    );
  }
  // The first page follows the URL's filters, as on the dashboard's agent page.
  const agentPage = await sharedAgentPage(share, token, timelineViewFromPage(await searchParams));
  if (!agentPage) notFound();
  return (
    <>
      {banner(`the timeline of agent ${share.resourceId}`)}
      <main className="mx-auto max-w-7xl px-4 py-6 sm:px-6">
        <Providers>
          <SharedAgentView data={agentPage} scope={sharedScope(token)} />
        </Providers>
      </main>
    </>
  );
}
