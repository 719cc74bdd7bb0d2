// The read-only page behind a share link: exactly the shared resource, no navigation to
// anything else, no edit or share controls. Unknown, expired and revoked tokens all get
// the same 404 page.
import { notFound } from "next/navigation";
import type { Metadata } from "next";
import { openShare } from "@/lib/shares/service";
import { sharedHandoff, sharedIntercept } from "@/lib/shares/shared-data";
import { SharedBanner } from "@/components/share/shared-banner";
import { HandoffDetailView } from "@/components/handoff/handoff-detail-view";
import { SharedAgentView } from "@/components/share/shared-agent-view";
import { Providers } from "@/components/providers";
import { InterceptView } from "@/components/timeline/intercept-view";
import { SharedEvidence } from "@/components/share/shared-evidence";
import { sharedEvidenceSummary } from "@/lib/shares/shared-evidence";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Shared view", robots: { index: false, follow: false }, referrer: "no-referrer" };

export default async function SharedPage({ params }: { params: Promise<{ token: string }> }) {
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
  return (
    <>
      {banner(`the timeline of agent ${share.resourceId}`)}
      <main className="mx-auto max-w-7xl px-4 py-6 sm:px-6">
        <Providers>
          <SharedAgentView token={token} share={share} />
        </Providers>
      </main>
    </>
  );
}
