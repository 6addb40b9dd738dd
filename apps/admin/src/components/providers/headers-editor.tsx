"use client";

import { Button } from "../ui/button";
import { Input } from "../ui/input";
import { type HeaderRow, isCredentialRow, newRowId } from "./provider-form-state";

interface HeadersEditorProps {
  rows: HeaderRow[];
  onChange(rows: HeaderRow[]): void;
  fieldErrors: Record<string, string[]>;
  disabled: boolean;
}

/**
 * Extra request headers sent to the provider on every call. A credential's value (a name with
 * key, auth, token or secret) is write-only like the API key: a stored one shows masked, and
 * its name is fixed (remove it and add another to rename).
 */
export function HeadersEditor({ rows, onChange, fieldErrors, disabled }: HeadersEditorProps) {
  const update = (rowId: number, patch: Partial<HeaderRow>) =>
    onChange(rows.map((r) => (r.rowId === rowId ? { ...r, ...patch } : r)));
  return (
    <div className="space-y-2" data-testid="provider-headers">
      {rows.length === 0 ? <p className="text-sm text-slate-500">No extra headers.</p> : null}
      {rows.map((row, i) => (
        <div key={row.rowId} className="flex items-start gap-2">
          <Input
            aria-label={`Header ${i + 1} name`}
            placeholder="HTTP-Referer"
            value={row.name}
            disabled={disabled}
            readOnly={row.masked !== undefined}
            onChange={(e) => update(row.rowId, { name: e.target.value })}
          />
          <Input
            aria-label={`Header ${i + 1} value`}
            data-testid={row.masked !== undefined ? "provider-masked-header" : undefined}
            placeholder={
              row.masked !== undefined
                ? `${row.masked} (empty keeps it; type to replace)`
                : "https://example.com"
            }
            type={isCredentialRow(row) ? "password" : "text"}
            autoComplete="off"
            value={row.value}
            disabled={disabled}
            onChange={(e) => update(row.rowId, { value: e.target.value })}
          />
          <Button
            variant="ghost"
            size="sm"
            aria-label={`Remove header ${i + 1}`}
            disabled={disabled}
            onClick={() => onChange(rows.filter((r) => r.rowId !== row.rowId))}
          >
            Remove
          </Button>
          {fieldErrors[`headers.${row.name.trim()}`] ? (
            <p role="alert" className="text-xs text-red-600">
              {fieldErrors[`headers.${row.name.trim()}`]!.join("; ")}
            </p>
          ) : null}
        </div>
      ))}
      <Button
        variant="secondary"
        size="sm"
        disabled={disabled}
        onClick={() => onChange([...rows, { rowId: newRowId(), name: "", value: "" }])}
      >
        Add header
      </Button>
    </div>
  );
}
