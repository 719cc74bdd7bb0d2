import { formatFingerprint } from "@/lib/evidence/signing-key";

/** A key fingerprint in groups of four, monospaced, easy to compare by eye. */
export function Fingerprint({ value, testId }: { value: string; testId?: string }) {
  return <code className="break-all font-mono text-sm" data-testid={testId}>{formatFingerprint(value)}</code>;
}
