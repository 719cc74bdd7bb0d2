export default function SharedLinkNotFound() {
  return (
    <main className="mx-auto mt-24 max-w-lg rounded-lg border border-slate-200 bg-white p-6 text-center">
      <h1 className="mb-2 text-xl font-semibold">This link is not valid</h1>
      <p className="text-slate-600">Ask the person who sent it for a new link.</p>
    </main>
  );
}
