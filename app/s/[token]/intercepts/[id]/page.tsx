// One recorded call inside a shared agent timeline or handoff; refused (404) when the share
// does not cover it.
import { notFound } from "next/navigation";
import type { Metadata } from "next";
import { openShare } from "@/lib/shares/service";
import { sharedIntercept } from "@/lib/shares/shared-data";
import { SharedBanner } from "@/components/share/shared-banner";
import { InterceptView } from "@/components/timeline/intercept-view";
import { recordLinks, sharedScope } from "@/lib/records/record-links";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Shared view", robots: { index: false, follow: false }, referrer: "no-referrer" };

export default async function SharedInterceptPage({ params }: { params: Promise<{ token: string; id: string }> }) {
  const { token, id } = await params;
  const share = await openShare(token);
  const intercept = share ? await sharedIntercept(share, id) : null;
  if (!share || !intercept) notFound();
  return (
    <>
      <SharedBanner resourceLabel={`a recorded call of agent ${intercept.agent_id}`} expiresAt={share.expiresAt} redacted={share.redactPayloads} />
      <main className="mx-auto max-w-7xl px-4 py-6 sm:px-6">
        {share.resourceType === "agent" ? <a href={recordLinks(sharedScope(token)).agent(share.resourceId)} className="text-sm text-blue-700 underline">← Back to the shared timeline</a> : null}
        <InterceptView intercept={intercept} linkable={false} />
      </main>
    </>
  );
}
