"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { revokeKeyAction } from "../../server/keys/key-actions";
import { ConfirmButton } from "../ui/confirm-button";

/** Two clicks: "Revoke", then "Confirm revoke", since clients using the key stop at once. */
export function RevokeKeyButton({ id, name }: { id: string; name: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);

  function revoke() {
    startTransition(async () => {
      const outcome = await revokeKeyAction({ id });
      setError(outcome.ok ? null : outcome.error);
      if (outcome.ok) router.refresh();
    });
  }

  return (
    <div className="inline-flex flex-col items-end gap-1">
      <ConfirmButton
        label="Revoke"
        ariaLabel={`Revoke ${name}`}
        variant="secondary"
        disabled={pending}
        onConfirm={revoke}
      />
      {error ? (
        <p role="alert" className="text-xs text-red-600">
          {error}
        </p>
      ) : null}
    </div>
  );
}
