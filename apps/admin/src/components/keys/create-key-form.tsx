"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { ActionResult } from "../../lib/action";
import { createKeyAction } from "../../server/keys/key-actions";
import { Button } from "../ui/button";
import { ErrorBanner } from "../ui/error-banner";
import { FormField } from "../ui/form-field";
import { Input } from "../ui/input";
import { NewKeyNotice } from "./new-key-notice";

type Created = { key: string; record: { name: string; displayPrefix: string } };

function optionalInt(data: FormData, name: string): number | undefined {
  const text = String(data.get(name) ?? "").trim();
  // Not a number is sent as NaN, so the server names the field instead of dropping it.
  return text === "" ? undefined : Number(text);
}

/** A bare date means the end of that UTC day. */
function optionalExpiry(data: FormData): Date | undefined {
  const text = String(data.get("expiresAt") ?? "").trim();
  return text === "" ? undefined : new Date(`${text}T23:59:59.999Z`);
}

/** A key's token and spend budgets: blank is no budget. */
const BUDGET_FIELDS = [
  { name: "dailyTokens", label: "Tokens per UTC day", hint: "Blank: no budget", min: 1, step: 1 },
  {
    name: "monthlyTokens",
    label: "Tokens per UTC month",
    hint: "Blank: no budget",
    min: 1,
    step: 1,
  },
  {
    name: "dailyUsd",
    label: "Spend per UTC day (USD)",
    hint: "Blank: no spend budget. Over it, the key gets 429 key_spend_exceeded.",
    min: 0,
    step: "any",
  },
  {
    name: "monthlyUsd",
    label: "Spend per UTC month (USD)",
    hint: "Blank: no spend budget",
    min: 0,
    step: "any",
  },
] as const;

export function CreateKeyForm({ chains }: { chains: string[] }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<ActionResult<Created> | null>(null);
  const failed = result && !result.ok ? result : null;
  const errors = failed?.fieldErrors ?? {};

  function submit(form: HTMLFormElement) {
    const data = new FormData(form);
    const picked = data.getAll("chains").map(String);
    startTransition(async () => {
      const outcome = await createKeyAction({
        name: String(data.get("name") ?? ""),
        chains: picked.length > 0 ? picked : undefined,
        rpm: optionalInt(data, "rpm"),
        dailyTokens: optionalInt(data, "dailyTokens"),
        monthlyTokens: optionalInt(data, "monthlyTokens"),
        dailyUsd: optionalInt(data, "dailyUsd"),
        monthlyUsd: optionalInt(data, "monthlyUsd"),
        expiresAt: optionalExpiry(data),
      });
      setResult(outcome);
      if (outcome.ok) {
        form.reset();
        router.refresh();
      }
    });
  }

  return (
    <div className="space-y-4">
      {result?.ok ? (
        <NewKeyNotice
          name={result.data.record.name}
          secret={result.data.key}
          onDismiss={() => setResult(null)}
        />
      ) : null}
      <form
        aria-label="Create a key"
        className="grid gap-4 md:grid-cols-3"
        onSubmit={(event) => {
          event.preventDefault();
          submit(event.currentTarget);
        }}
      >
        <div className="md:col-span-3">
          <ErrorBanner message={failed?.error} />
        </div>
        <FormField label="Name" htmlFor="key-name" hint="Who or what uses it" errors={errors.name}>
          <Input id="key-name" name="name" required maxLength={200} />
        </FormField>
        <FormField
          label="Requests per minute"
          htmlFor="key-rpm"
          hint="Blank: no limit"
          errors={errors.rpm}
        >
          <Input id="key-rpm" name="rpm" type="number" min={1} step={1} />
        </FormField>
        <FormField
          label="Expires (end of day, UTC)"
          htmlFor="key-expires"
          hint="Blank: never"
          errors={errors.expiresAt}
        >
          <Input id="key-expires" name="expiresAt" type="date" />
        </FormField>
        {BUDGET_FIELDS.map((f) => (
          <FormField
            key={f.name}
            label={f.label}
            htmlFor={`key-${f.name}`}
            hint={f.hint}
            errors={errors[f.name]}
          >
            <Input id={`key-${f.name}`} name={f.name} type="number" min={f.min} step={f.step} />
          </FormField>
        ))}
        <fieldset className="space-y-1">
          <legend className="text-sm font-medium text-slate-700">Allowed chains</legend>
          {chains.length === 0 ? (
            <p className="text-xs text-slate-500">
              No chains yet: the key will work with any chain.
            </p>
          ) : (
            <div className="flex flex-wrap gap-x-4 gap-y-1">
              {chains.map((chain) => (
                <label key={chain} className="flex items-center gap-1.5 text-sm">
                  <input type="checkbox" name="chains" value={chain} />
                  {chain}
                </label>
              ))}
            </div>
          )}
          <p className="text-xs text-slate-500">None ticked: every chain.</p>
          {errors.chains ? (
            <p role="alert" className="text-xs text-red-600">
              {errors.chains.join("; ")}
            </p>
          ) : null}
        </fieldset>
        <div className="md:col-span-3">
          <Button type="submit" disabled={pending}>
            {pending ? "Creating…" : "Create key"}
          </Button>
        </div>
      </form>
    </div>
  );
}
