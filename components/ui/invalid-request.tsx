import type { ErrorDetail } from "@/lib/http/errors";

/** What a page shows instead of its data when the address holds parameters the API refuses (400). */
export function InvalidRequest({ details, back }: { details: ErrorDetail[]; back: { href: string; label: string } }) {
  return (
    <div role="alert" className="rounded border border-red-300 bg-red-50 p-4 text-sm text-red-800" data-testid="invalid-request">
      <p className="font-semibold">This address is not valid (400).</p>
      <ul className="list-disc pl-5">
        {details.map((d) => <li key={d.path}><code>{d.path}</code>: {d.message}</li>)}
      </ul>
      <a className="underline" href={back.href}>{back.label}</a>
    </div>
  );
}
