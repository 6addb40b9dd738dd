"use client";

import { useActionState } from "react";
import { type LoginFormState, logInAction } from "../../server/auth/actions";
import { Button } from "../ui/button";
import { ErrorBanner } from "../ui/error-banner";
import { FormField } from "../ui/form-field";
import { Input } from "../ui/input";

const INITIAL: LoginFormState = { error: null, email: "" };

export function LoginForm() {
  const [state, formAction, pending] = useActionState(logInAction, INITIAL);
  return (
    <form
      action={formAction}
      aria-label="Log in"
      className="space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm"
    >
      <ErrorBanner message={state.error} />
      <FormField label="Email" htmlFor="email">
        <Input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          required
          defaultValue={state.email}
        />
      </FormField>
      <FormField label="Password" htmlFor="password">
        <Input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
        />
      </FormField>
      <Button type="submit" disabled={pending} className="w-full">
        {pending ? "Logging in…" : "Log in"}
      </Button>
    </form>
  );
}
