"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { deleteProvider, setProviderEnabled } from "../../server/providers/actions";
import { Button } from "../ui/button";

export interface ProviderActionsMenuProps {
  providerId: string;
  enabled: boolean;
  canWrite: boolean;
  /** Where to go once the provider is deleted; stays on the page when unset. */
  afterDelete?: string;
}

/** Disable/enable and delete (with a confirmation step); errors show as the server words them. */
export function ProviderActionsMenu({
  providerId,
  enabled,
  canWrite,
  afterDelete,
}: ProviderActionsMenuProps) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const disabled = !canWrite || pending;

  function run(action: () => ReturnType<typeof deleteProvider>, then?: string) {
    startTransition(async () => {
      const result = await action();
      setConfirming(false);
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setError(null);
      if (then) router.push(then);
      router.refresh();
    });
  }

  return (
    <div className="space-y-1" data-testid={`provider-actions-${providerId}`}>
      <div className="flex flex-wrap gap-2">
        <Button
          variant="secondary"
          size="sm"
          disabled={disabled}
          onClick={() => run(() => setProviderEnabled({ id: providerId, enabled: !enabled }))}
        >
          {enabled ? "Disable" : "Enable"}
        </Button>
        {confirming ? (
          <>
            <Button
              variant="danger"
              size="sm"
              disabled={disabled}
              onClick={() => run(() => deleteProvider({ id: providerId }), afterDelete)}
            >
              Confirm delete
            </Button>
            <Button variant="ghost" size="sm" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
          </>
        ) : (
          <Button
            variant="danger"
            size="sm"
            disabled={disabled}
            aria-label={`Delete provider ${providerId}`}
            onClick={() => setConfirming(true)}
          >
            Delete
          </Button>
        )}
      </div>
      {error ? (
        <p role="alert" data-testid="provider-action-error" className="text-xs text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}
