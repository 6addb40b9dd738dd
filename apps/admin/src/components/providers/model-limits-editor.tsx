"use client";

import { Button } from "../ui/button";
import { FormField } from "../ui/form-field";
import { Input } from "../ui/input";
import { LimitInputs } from "./limit-inputs";
import { limitValues, type ModelLimitRow, newRowId } from "./provider-form-state";

interface ModelLimitsEditorProps {
  rows: ModelLimitRow[];
  onChange(rows: ModelLimitRow[]): void;
  fieldErrors: Record<string, string[]>;
  disabled: boolean;
}

/** Manual limits per upstream model, on top of the account-wide ones. */
export function ModelLimitsEditor({
  rows,
  onChange,
  fieldErrors,
  disabled,
}: ModelLimitsEditorProps) {
  const update = (rowId: number, patch: Partial<ModelLimitRow>) =>
    onChange(rows.map((r) => (r.rowId === rowId ? { ...r, ...patch } : r)));
  return (
    <div className="space-y-4" data-testid="provider-model-limits">
      {rows.length === 0 ? (
        <p className="text-sm text-slate-500">
          No per-model limits: only the account-wide ones apply.
        </p>
      ) : null}
      {rows.map((row, i) => (
        <div key={row.rowId} className="space-y-3 rounded-md border border-slate-200 p-3">
          <div className="flex items-end gap-2">
            <div className="flex-1">
              <FormField label={`Model ${i + 1}`} htmlFor={`model-limit-${row.rowId}`}>
                <Input
                  id={`model-limit-${row.rowId}`}
                  placeholder="llama-3.3-70b-versatile"
                  value={row.model}
                  disabled={disabled}
                  onChange={(e) => update(row.rowId, { model: e.target.value })}
                />
              </FormField>
            </div>
            <Button
              variant="ghost"
              size="sm"
              aria-label={`Remove limits of model ${i + 1}`}
              disabled={disabled}
              onClick={() => onChange(rows.filter((r) => r.rowId !== row.rowId))}
            >
              Remove
            </Button>
          </div>
          <LimitInputs
            path={`modelRateLimits.${row.model.trim()}`}
            idPrefix={`model-limit-${row.rowId}`}
            labelSuffix={` (model ${i + 1})`}
            values={row.limits}
            onChange={(limits) => update(row.rowId, { limits })}
            fieldErrors={fieldErrors}
            disabled={disabled}
          />
        </div>
      ))}
      <Button
        variant="secondary"
        size="sm"
        disabled={disabled}
        onClick={() =>
          onChange([...rows, { rowId: newRowId(), model: "", limits: limitValues(null) }])
        }
      >
        Add model limits
      </Button>
    </div>
  );
}
