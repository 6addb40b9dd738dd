"use client";

import { useState } from "react";
import { Button } from "../ui/button";

/** The plaintext of a new key: shown here once and never again. */
export function NewKeyNotice({
  name,
  secret,
  onDismiss,
}: {
  name: string;
  secret: string;
  onDismiss(): void;
}) {
  const [copied, setCopied] = useState(false);
  return (
    <div
      role="status"
      data-testid="new-key"
      className="space-y-2 rounded-md border border-emerald-300 bg-emerald-50 p-4"
    >
      <p className="text-sm font-medium text-emerald-900">
        Key “{name}” created. Copy it now: it cannot be shown again.
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <code
          data-testid="new-key-secret"
          className="break-all rounded bg-white px-2 py-1 font-mono text-sm text-slate-900 ring-1 ring-emerald-200"
        >
          {secret}
        </code>
        <Button
          size="sm"
          variant="secondary"
          onClick={async () => {
            await navigator.clipboard.writeText(secret);
            setCopied(true);
          }}
        >
          {copied ? "Copied" : "Copy"}
        </Button>
        <Button size="sm" variant="ghost" onClick={onDismiss}>
          Done
        </Button>
      </div>
    </div>
  );
}
