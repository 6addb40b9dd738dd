"use client";

import { FormField } from "../ui/form-field";
import { Input } from "../ui/input";
import { LIMIT_FIELDS, type LimitValues } from "./provider-form-state";

interface LimitInputsProps {
  /** Prefix of the server's error paths, e.g. "rateLimits". */
  path: string;
  /** Prefix of the inputs' ids, unique on the page. */
  idPrefix: string;
  /** Appended to labels so every field's label is unique on the page. */
  labelSuffix?: string;
  values: LimitValues;
  onChange(values: LimitValues): void;
  fieldErrors: Record<string, string[]>;
  disabled: boolean;
}

export function LimitInputs({
  path,
  idPrefix,
  labelSuffix = "",
  values,
  onChange,
  fieldErrors,
  disabled,
}: LimitInputsProps) {
  return (
    <div className="grid grid-cols-2 gap-3 md:grid-cols-3">
      {LIMIT_FIELDS.map((f) => {
        const id = `${idPrefix}-${f.key}`;
        const errors = fieldErrors[`${path}.${f.key}`];
        return (
          <FormField key={f.key} label={`${f.label}${labelSuffix}`} htmlFor={id} errors={errors}>
            <Input
              id={id}
              type="number"
              min={1}
              step={1}
              inputMode="numeric"
              placeholder="no limit"
              value={values[f.key]}
              aria-invalid={errors ? true : undefined}
              disabled={disabled}
              onChange={(e) => onChange({ ...values, [f.key]: e.target.value })}
            />
          </FormField>
        );
      })}
    </div>
  );
}
