"use client";
import { useActionState } from "react";
import { signIn } from "./actions";

export function SignInForm({ next }: { next: string }) {
  const [state, action, pending] = useActionState(signIn, undefined);
  return (
    <form action={action} className="space-y-3">
      <input type="hidden" name="next" value={next} />
      <label className="block text-sm">
        Admin password
        <input type="password" name="password" autoFocus required className="mt-1 w-full rounded border border-slate-300 px-3 py-2" />
      </label>
      {state?.error ? <p role="alert" className="text-sm text-red-700">{state.error}</p> : null}
      <button disabled={pending} className="w-full rounded bg-slate-900 px-3 py-2 font-medium text-white disabled:opacity-50">Sign in</button>
    </form>
  );
}
