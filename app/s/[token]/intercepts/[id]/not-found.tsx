import { NotFoundMessage } from "@/components/ui/not-found-message";

// Also what an expired or revoked link shows here: the page does not tell them apart.
export default function SharedInterceptNotFound() {
  return (
    <main className="px-4">
      <NotFoundMessage what="recorded call" param="id" hint="This share link does not show a call with this id, or the link is no longer valid." />
    </main>
  );
}
