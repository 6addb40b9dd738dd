"use client";

import type { UserRecord } from "@429chain/db";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { ActionResult } from "../../lib/action";
import { setUserDisabledAction, setUserRoleAction } from "../../server/users/user-actions";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Td, Tr } from "../ui/table";

export function UserRow({ user, isSelf }: { user: UserRecord; isSelf: boolean }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);

  function run(change: () => Promise<ActionResult<unknown>>) {
    startTransition(async () => {
      const outcome = await change();
      setError(outcome.ok ? null : outcome.error);
      if (outcome.ok) router.refresh();
    });
  }

  const otherRole = user.role === "admin" ? "viewer" : "admin";
  return (
    <Tr data-testid={`user-row-${user.email}`}>
      <Td>
        {user.email}
        {isSelf ? <span className="ml-2 text-xs text-slate-500">(you)</span> : null}
        {error ? (
          <p role="alert" className="mt-1 text-xs text-red-600">
            {error}
          </p>
        ) : null}
      </Td>
      <Td>
        <Badge tone={user.role === "admin" ? "blue" : "neutral"}>{user.role}</Badge>
      </Td>
      <Td>
        {user.disabled ? <Badge tone="red">disabled</Badge> : <Badge tone="green">active</Badge>}
      </Td>
      <Td className="whitespace-nowrap text-slate-600">
        {user.createdAt.toISOString().slice(0, 10)}
      </Td>
      <Td className="space-x-2 whitespace-nowrap text-right">
        <Button
          size="sm"
          variant="secondary"
          disabled={pending}
          onClick={() => run(() => setUserRoleAction({ userId: user.id, role: otherRole }))}
        >
          Make {otherRole}
        </Button>
        <Button
          size="sm"
          variant={user.disabled ? "secondary" : "danger"}
          disabled={pending}
          onClick={() =>
            run(() => setUserDisabledAction({ userId: user.id, disabled: !user.disabled }))
          }
        >
          {user.disabled ? "Enable" : "Disable"}
        </Button>
      </Td>
    </Tr>
  );
}
