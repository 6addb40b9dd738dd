"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { revokeKeyAction } from "../../server/keys/key-actions";
import { Button } from "../ui/button";

/** Two clicks: "Revoke", then "Confirm revoke", since clients using the key stop at once. */
export function RevokeKeyButton({ id, name }: { id: string; name: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);

  function revoke() {
    startTransition(async () => {
      const outcome = await revokeKeyAction({ id });
      setError(outcome.ok ? null : outcome.error);
      setConfirming(false);
      if (outcome.ok) router.refresh();
    });
  }

  return (
    <div className="inline-flex flex-col items-end gap-1">
      {confirming ? (
        <span className="inline-flex gap-1">
          <Button size="sm" variant="danger" disabled={pending} onClick={revoke}>
            {pending ? "Revoking…" : "Confirm revoke"}
          </Button>
          <Button size="sm" variant="ghost" disabled={pending} onClick={() => setConfirming(false)}>
            Cancel
          </Button>
        </span>
      ) : (
        <Button
          size="sm"
          variant="secondary"
          aria-label={`Revoke ${name}`}
          onClick={() => setConfirming(true)}
        >
          Revoke
        </Button>
      )}
      {error ? (
        <p role="alert" className="text-xs text-red-600">
          {error}
        </p>
      ) : null}
    </div>
  );
}
