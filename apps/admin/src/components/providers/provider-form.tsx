"use client";

import type { ProviderType } from "@429chain/contracts";
import type { ProviderView } from "@429chain/db";
import { useRouter } from "next/navigation";
import { type FormEvent, type ReactNode, useState, useTransition } from "react";
import {
  createProviderAction,
  updateProviderAction,
} from "../../server/providers/provider-actions";
import { Button } from "../ui/button";
import { ErrorBanner } from "../ui/error-banner";
import { FormField } from "../ui/form-field";
import { Input } from "../ui/input";
import { Select } from "../ui/select";
import { HeadersEditor } from "./headers-editor";
import { LimitInputs } from "./limit-inputs";
import { ModelLimitsEditor } from "./model-limits-editor";
import {
  baseUrlHint,
  formPayload,
  initialFormState,
  type ProviderFormState,
  TIMEOUT_FIELDS,
} from "./provider-form-state";

interface ProviderFormProps {
  /** null: a new provider. */
  provider: ProviderView | null;
  /** Every provider type with its built-in base URL, shown as the placeholder. */
  defaultBaseUrls: Record<ProviderType, string | null>;
  canWrite: boolean;
}

function Section({ title, hint, children }: { title: string; hint?: string; children: ReactNode }) {
  return (
    <fieldset className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <legend className="px-1 text-sm font-semibold text-slate-900">{title}</legend>
      {hint ? <p className="text-xs text-slate-500">{hint}</p> : null}
      {children}
    </fieldset>
  );
}

export function ProviderForm({ provider, defaultBaseUrls, canWrite }: ProviderFormProps) {
  const router = useRouter();
  const [state, setState] = useState<ProviderFormState>(() => initialFormState(provider));
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [saved, setSaved] = useState<number | null>(null);
  const [pending, startTransition] = useTransition();
  const creating = provider === null;
  const disabled = !canWrite || pending;
  const set = (patch: Partial<ProviderFormState>) => setState((s) => ({ ...s, ...patch }));
  const errorsOf = (path: string) => fieldErrors[path];

  function submit(event: FormEvent) {
    event.preventDefault();
    const payload = formPayload(state);
    startTransition(async () => {
      setSaved(null);
      const result = creating
        ? await createProviderAction(payload)
        : await updateProviderAction({ id: provider.id, provider: payload });
      if (!result.ok) {
        setError(result.error);
        setFieldErrors(result.fieldErrors ?? {});
        return;
      }
      setError(null);
      setFieldErrors({});
      if (creating) {
        router.push(
          `/providers/${encodeURIComponent(state.id.trim())}?saved=${result.data.version}`,
        );
        return;
      }
      set({ apiKey: "" });
      setSaved(result.data.version);
      router.refresh();
    });
  }

  const text = (
    key: "id" | "name" | "baseUrl" | "timeout",
    label: string,
    extra: { hint?: string; placeholder?: string; type?: string } = {},
  ) => (
    <FormField label={label} htmlFor={`provider-${key}`} hint={extra.hint} errors={errorsOf(key)}>
      <Input
        id={`provider-${key}`}
        name={key}
        type={extra.type ?? "text"}
        placeholder={extra.placeholder}
        value={state[key]}
        aria-invalid={errorsOf(key) ? true : undefined}
        disabled={disabled}
        onChange={(e) => set({ [key]: e.target.value })}
      />
    </FormField>
  );

  return (
    <form onSubmit={submit} className="max-w-3xl space-y-5" data-testid="provider-form" noValidate>
      <ErrorBanner message={error} />
      <Section title="Provider">
        {creating
          ? text("id", "Provider ID", {
              hint: "Used in chains and in `provider/model` requests; no '/' or spaces. Cannot change later.",
              placeholder: "groq-free",
            })
          : null}
        {text("name", "Display name", { placeholder: "Groq (free tier)" })}
        <FormField label="Type" htmlFor="provider-type" errors={errorsOf("type")}>
          <Select
            id="provider-type"
            name="type"
            value={state.type}
            disabled={disabled}
            onChange={(e) => set({ type: e.target.value as ProviderType })}
          >
            {(Object.keys(defaultBaseUrls) as ProviderType[]).map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </Select>
        </FormField>
        {text("baseUrl", "Base URL", {
          placeholder: defaultBaseUrls[state.type] ?? "https://llm.example.com/v1",
          hint: baseUrlHint(state.type),
        })}
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input
            type="checkbox"
            name="enabled"
            checked={state.enabled}
            disabled={disabled}
            onChange={(e) => set({ enabled: e.target.checked })}
          />
          Enabled (disabled providers are skipped by every chain)
        </label>
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input
            type="checkbox"
            name="free"
            data-testid="provider-free"
            checked={state.free}
            disabled={disabled}
            onChange={(e) => set({ free: e.target.checked })}
          />
          Free tier (its entries cost nothing; without it they are priced from the bundled table)
        </label>
      </Section>

      <Section
        title="API key"
        hint="Stored encrypted. It is never shown again or sent to the browser."
      >
        {creating ? null : (
          <p className="text-sm text-slate-700">
            Current key: <code data-testid="provider-masked-key">{provider.maskedApiKey}</code>
          </p>
        )}
        <FormField
          label={creating ? "API key" : "Replace key"}
          htmlFor="provider-apiKey"
          hint={creating ? undefined : "Leave empty to keep the current key."}
          errors={errorsOf("apiKey")}
        >
          <Input
            id="provider-apiKey"
            name="apiKey"
            type="password"
            autoComplete="off"
            value={state.apiKey}
            aria-invalid={errorsOf("apiKey") ? true : undefined}
            disabled={disabled}
            onChange={(e) => set({ apiKey: e.target.value })}
          />
        </FormField>
      </Section>

      <Section title="Timeouts" hint="Empty fields use the gateway settings. At least 1000 ms.">
        {text("timeout", "Attempt timeout (ms)", { type: "number", placeholder: "30000" })}
        <div className="grid grid-cols-3 gap-3">
          {TIMEOUT_FIELDS.map((f) => (
            <FormField
              key={f.key}
              label={f.label}
              htmlFor={`provider-timeouts-${f.key}`}
              errors={errorsOf(`timeouts.${f.key}`)}
            >
              <Input
                id={`provider-timeouts-${f.key}`}
                type="number"
                value={state.timeouts[f.key]}
                disabled={disabled}
                onChange={(e) => set({ timeouts: { ...state.timeouts, [f.key]: e.target.value } })}
              />
            </FormField>
          ))}
        </div>
      </Section>

      <Section
        title="Account-wide limits"
        hint="Manual limits for the whole account; the gateway also learns limits from response headers."
      >
        <LimitInputs
          path="rateLimits"
          idPrefix="provider-rateLimits"
          values={state.rateLimits}
          onChange={(rateLimits) => set({ rateLimits })}
          fieldErrors={fieldErrors}
          disabled={disabled}
        />
      </Section>

      <Section title="Per-model limits">
        <ModelLimitsEditor
          rows={state.modelLimits}
          onChange={(modelLimits) => set({ modelLimits })}
          fieldErrors={fieldErrors}
          disabled={disabled}
        />
      </Section>

      <Section title="Extra headers">
        <HeadersEditor
          rows={state.headers}
          onChange={(headers) => set({ headers })}
          fieldErrors={fieldErrors}
          disabled={disabled}
        />
      </Section>

      <div className="flex items-center gap-3">
        <Button type="submit" disabled={disabled} data-testid="provider-save">
          {pending ? "Saving…" : creating ? "Create provider" : "Save provider"}
        </Button>
        {saved !== null ? (
          <p role="status" data-testid="provider-save-status" className="text-sm text-emerald-700">
            Saved. Config version {saved}.
          </p>
        ) : null}
      </div>
    </form>
  );
}
