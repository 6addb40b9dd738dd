"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { ActionResult } from "../../lib/action";
import { createUserAction } from "../../server/users/user-actions";
import { Button } from "../ui/button";
import { ErrorBanner } from "../ui/error-banner";
import { FormField } from "../ui/form-field";
import { Input } from "../ui/input";
import { Select } from "../ui/select";

export function CreateUserForm() {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<ActionResult<{ email: string }> | null>(null);
  const failed = result && !result.ok ? result : null;

  function submit(form: HTMLFormElement) {
    const data = new FormData(form);
    startTransition(async () => {
      const outcome = await createUserAction({
        email: String(data.get("email")),
        password: String(data.get("password")),
        role: data.get("role") === "admin" ? "admin" : "viewer",
      });
      setResult(outcome);
      if (outcome.ok) {
        form.reset();
        router.refresh();
      }
    });
  }

  return (
    <form
      aria-label="Add a user"
      className="grid gap-4 sm:grid-cols-[2fr_2fr_1fr_auto] sm:items-end"
      onSubmit={(event) => {
        event.preventDefault();
        submit(event.currentTarget);
      }}
    >
      <div className="sm:col-span-4">
        <ErrorBanner message={failed?.error} />
        {result?.ok ? (
          <p role="status" className="text-sm text-emerald-700">
            Added {result.data.email}.
          </p>
        ) : null}
      </div>
      <FormField label="Email" htmlFor="new-user-email" errors={failed?.fieldErrors?.email}>
        <Input id="new-user-email" name="email" type="email" required autoComplete="off" />
      </FormField>
      <FormField
        label="Initial password"
        htmlFor="new-user-password"
        hint="At least 12 characters; share it privately."
        errors={failed?.fieldErrors?.password}
      >
        <Input
          id="new-user-password"
          name="password"
          type="password"
          required
          minLength={12}
          autoComplete="new-password"
        />
      </FormField>
      <FormField label="Role" htmlFor="new-user-role">
        <Select id="new-user-role" name="role" defaultValue="viewer">
          <option value="viewer">viewer</option>
          <option value="admin">admin</option>
        </Select>
      </FormField>
      <Button type="submit" disabled={pending}>
        {pending ? "Adding…" : "Add user"}
      </Button>
    </form>
  );
}
