"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import {
  deleteProviderAction,
  setProviderEnabledAction,
} from "../../server/providers/provider-actions";
import { Button } from "../ui/button";
import { ConfirmButton } from "../ui/confirm-button";

interface ProviderActionsMenuProps {
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
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const disabled = !canWrite || pending;

  function run(action: () => ReturnType<typeof deleteProviderAction>, then?: string) {
    startTransition(async () => {
      const result = await action();
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
          onClick={() => run(() => setProviderEnabledAction({ id: providerId, enabled: !enabled }))}
        >
          {enabled ? "Disable" : "Enable"}
        </Button>
        <ConfirmButton
          label="Delete"
          ariaLabel={`Delete provider ${providerId}`}
          disabled={disabled}
          onConfirm={() => run(() => deleteProviderAction({ id: providerId }), afterDelete)}
        />
      </div>
      {error ? (
        <p role="alert" data-testid="provider-action-error" className="text-xs text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}
