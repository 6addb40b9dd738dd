"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { deleteChainAction, setDefaultChainAction } from "../../server/chains/chain-actions";
import { Button } from "../ui/button";
import { ConfirmButton } from "../ui/confirm-button";

interface ChainActionsMenuProps {
  chain: string;
  isDefault: boolean;
  canWrite: boolean;
  /** Where to go once the chain is deleted; stays on the page when unset. */
  afterDelete?: string;
}

/** Make default and delete (with a confirmation step); errors show as the server words them. */
export function ChainActionsMenu({
  chain,
  isDefault,
  canWrite,
  afterDelete,
}: ChainActionsMenuProps) {
  const router = useRouter();
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const disabled = !canWrite || pending;

  function run(action: () => ReturnType<typeof deleteChainAction>, done: string, then?: string) {
    startTransition(async () => {
      const result = await action();
      if (!result.ok) {
        setMessage({ error: true, text: result.error });
        return;
      }
      setMessage({ error: false, text: `${done} Config version ${result.data.version}.` });
      if (then) router.push(then);
      router.refresh();
    });
  }

  return (
    <div className="space-y-1" data-testid={`chain-actions-${chain}`}>
      <div className="flex flex-wrap gap-2">
        <Button
          variant="secondary"
          size="sm"
          disabled={disabled || isDefault}
          title={isDefault ? "This is the default chain" : undefined}
          onClick={() =>
            run(() => setDefaultChainAction({ name: chain }), `${chain} is now the default chain.`)
          }
        >
          Make default
        </Button>
        <ConfirmButton
          label="Delete"
          ariaLabel={`Delete chain ${chain}`}
          disabled={disabled}
          onConfirm={() =>
            run(() => deleteChainAction({ name: chain }), `Deleted ${chain}.`, afterDelete)
          }
        />
      </div>
      {message ? (
        <p
          role={message.error ? "alert" : "status"}
          data-testid={message.error ? "chain-action-error" : "chain-action-status"}
          className={`text-xs ${message.error ? "text-red-700" : "text-emerald-700"}`}
        >
          {message.text}
        </p>
      ) : null}
    </div>
  );
}
