"use client";

import type { Chain } from "@429chain/contracts";
import type { ChainView } from "@429chain/db";
import { useRouter } from "next/navigation";
import { type FormEvent, useState, useTransition } from "react";
import { createChainAction, updateChainAction } from "../../server/chains/chain-actions";
import { Button } from "../ui/button";
import { ErrorBanner } from "../ui/error-banner";
import { FormField } from "../ui/form-field";
import { Input } from "../ui/input";
import { Select } from "../ui/select";
import { type AffinityChoice, AffinityField } from "./affinity-field";
import { BudgetFields, budgetPayload, budgetText } from "./budget-fields";
import { EntryList } from "./entry-list";
import type { EditorEntry } from "./entry-order";
import { defaultProvider, type ProviderOption } from "./provider-choices";

interface ChainEditorProps {
  /** null: a new chain. */
  chain: ChainView | null;
  providers: ProviderOption[];
  modelsByProvider: Record<string, string[]>;
  canWrite: boolean;
}

// Entries present at first render are numbered by position, so server and browser agree;
// entries added later (only ever in the browser) count from far above.
let nextRowId = 1_000_000;

export function ChainEditor({ chain, providers, modelsByProvider, canWrite }: ChainEditorProps) {
  const router = useRouter();
  const creating = chain === null;
  const [name, setName] = useState(chain?.name ?? "");
  const [kind, setKind] = useState<Chain["kind"]>(chain?.kind ?? "chat");
  // The field's text; an empty field means no fixed vector length.
  const [dimensions, setDimensions] = useState(chain?.dimensions?.toString() ?? "");
  const [affinity, setAffinity] = useState<AffinityChoice>(chain?.affinity ?? "");
  const [budget, setBudget] = useState(() => budgetText(chain));
  const [entries, setEntries] = useState<EditorEntry[]>(() =>
    (chain?.entries ?? []).map((e, rowId) => ({
      rowId,
      provider: e.provider,
      model: e.model,
      enabled: e.enabled,
      ...(e.price ? { price: e.price } : {}),
    })),
  );
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [saved, setSaved] = useState<number | null>(null);
  const [pending, startTransition] = useTransition();
  const disabled = !canWrite || pending;

  const newEntry = (): EditorEntry => ({
    rowId: nextRowId++,
    provider: defaultProvider(providers, kind),
    model: "",
    enabled: true,
  });

  function changeEntries(next: EditorEntry[]) {
    setEntries(next);
    setSaved(null);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const payload = {
      name: creating ? name.trim() : chain.name,
      kind,
      dimensions: kind === "embeddings" ? dimensionsValue(dimensions) : null,
      affinity: kind === "chat" && affinity !== "" ? affinity : null,
      ...budgetPayload(budget),
      // An entry's own price (set in the config) is kept as it is.
      entries: entries.map(({ provider, model, enabled, price }) => ({
        provider,
        model: model.trim(),
        enabled,
        ...(price ? { price } : {}),
      })),
    };
    startTransition(async () => {
      const result = creating ? await createChainAction(payload) : await updateChainAction(payload);
      if (!result.ok) {
        setError(result.error);
        setFieldErrors(result.fieldErrors ?? {});
        setSaved(null);
        return;
      }
      setError(null);
      setFieldErrors({});
      if (creating) {
        router.push(`/chains/${encodeURIComponent(payload.name)}?saved=${result.data.version}`);
        return;
      }
      setSaved(result.data.version);
      router.refresh();
    });
  }

  return (
    <form onSubmit={submit} className="max-w-4xl space-y-5" data-testid="chain-editor" noValidate>
      <ErrorBanner message={error} />
      {creating ? (
        <FormField
          label="Chain name"
          htmlFor="chain-name"
          hint="Clients send it as the request's model. Cannot change later."
          errors={fieldErrors.name}
        >
          <Input
            id="chain-name"
            name="name"
            value={name}
            placeholder="fast"
            aria-invalid={fieldErrors.name ? true : undefined}
            disabled={disabled}
            onChange={(e) => setName(e.target.value)}
          />
        </FormField>
      ) : null}
      <div className="flex flex-wrap gap-4">
        <div className="w-56">
          <FormField
            label="Kind"
            htmlFor="chain-kind"
            hint={
              kind === "chat"
                ? "Chat completions, messages and responses."
                : "/v1/embeddings. Entries need a provider with an embeddings API."
            }
            errors={fieldErrors.kind}
          >
            <Select
              id="chain-kind"
              data-testid="chain-kind"
              value={kind}
              disabled={disabled}
              onChange={(e) => {
                setKind(e.target.value as Chain["kind"]);
                setSaved(null);
              }}
            >
              <option value="chat">chat</option>
              <option value="embeddings">embeddings</option>
            </Select>
          </FormField>
        </div>
        {kind === "chat" ? (
          <div className="w-72">
            <AffinityField
              value={affinity}
              errors={fieldErrors.affinity}
              disabled={disabled}
              onChange={(value) => {
                setAffinity(value);
                setSaved(null);
              }}
            />
          </div>
        ) : null}
        {kind === "embeddings" ? (
          <div className="w-72">
            <FormField
              label="Dimensions (optional)"
              htmlFor="chain-dimensions"
              hint="The vector length every entry must answer with; another length counts as that entry's failure."
              errors={fieldErrors.dimensions}
            >
              <Input
                id="chain-dimensions"
                data-testid="chain-dimensions"
                type="number"
                inputMode="numeric"
                min={1}
                step={1}
                value={dimensions}
                placeholder="any"
                aria-invalid={fieldErrors.dimensions ? true : undefined}
                disabled={disabled}
                onChange={(e) => {
                  setDimensions(e.target.value);
                  setSaved(null);
                }}
              />
            </FormField>
          </div>
        ) : null}
      </div>
      <BudgetFields
        value={budget}
        errors={fieldErrors}
        disabled={disabled}
        onChange={(value) => {
          setBudget(value);
          setSaved(null);
        }}
      />
      <fieldset className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
        <legend className="px-1 text-sm font-semibold text-slate-900">Entries</legend>
        {fieldErrors.entries ? (
          <p role="alert" className="text-xs text-red-600">
            {fieldErrors.entries.join("; ")}
          </p>
        ) : null}
        <EntryList
          entries={entries}
          onChange={changeEntries}
          providers={providers}
          kind={kind}
          modelsByProvider={modelsByProvider}
          fieldErrors={fieldErrors}
          disabled={disabled}
          newEntry={newEntry}
        />
      </fieldset>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={disabled} data-testid="chain-save">
          {pending ? "Saving…" : creating ? "Create chain" : "Save chain"}
        </Button>
        {saved !== null ? (
          <p role="status" data-testid="chain-save-status" className="text-sm text-emerald-700">
            Saved. Config version {saved}.
          </p>
        ) : null}
      </div>
    </form>
  );
}

/** The dimensions field as sent: empty is no fixed length; anything else goes to the server,
 * which refuses what is not a positive whole number, next to the field. */
function dimensionsValue(text: string): number | string | null {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : trimmed;
}
