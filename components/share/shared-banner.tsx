/** Says plainly that this is someone's shared, read-only view, and until when. */
export function SharedBanner({ resourceLabel, expiresAt, redacted }: { resourceLabel: string; expiresAt: Date; redacted: boolean }) {
  return (
    <div role="note" className="border-b border-amber-300 bg-amber-50 px-6 py-3 text-sm text-amber-900" data-testid="shared-banner">
      <strong>Shared view (read-only)</strong> of {resourceLabel}. This link expires{" "}
      <time dateTime={expiresAt.toISOString()} title={expiresAt.toISOString()}>{expiresAt.toUTCString()}</time>
      {redacted ? ". Request and response bodies are redacted: you see their SHA-256 hashes and sizes." : "."}
    </div>
  );
}
