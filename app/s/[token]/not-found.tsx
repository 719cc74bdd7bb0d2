export default function SharedLinkNotFound() {
  return (
    <main className="mx-4 mt-24 max-w-lg rounded-lg sm:mx-auto border border-slate-200 bg-white p-6 text-center" data-testid="not-found">
      <h1 className="mb-2 text-xl font-semibold">This link is not valid</h1>
      <p className="text-slate-600">It may have expired or been revoked. Ask the person who sent it for a new link.</p>
    </main>
  );
}
