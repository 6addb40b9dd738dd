"use client";

import type { ChainAffinity } from "@429chain/contracts";
import { FormField } from "../ui/form-field";
import { Select } from "../ui/select";

/** The editor's affinity choice: "" is none. */
export type AffinityChoice = ChainAffinity | "";

interface AffinityFieldProps {
  value: AffinityChoice;
  onChange: (value: AffinityChoice) => void;
  errors: string[] | undefined;
  disabled: boolean;
}

/** A chat chain's affinity: none, or keep each conversation on the entry that served it. */
export function AffinityField({ value, onChange, errors, disabled }: AffinityFieldProps) {
  return (
    <FormField
      label="Affinity"
      htmlFor="chain-affinity"
      hint={
        value === "conversation"
          ? "A conversation's next turn goes to the entry that served its last one while that entry has quota, so the provider's prompt cache stays warm; a 429 still moves it on."
          : "Every request starts at the top of the chain."
      }
      errors={errors}
    >
      <Select
        id="chain-affinity"
        data-testid="chain-affinity"
        value={value}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value as AffinityChoice)}
      >
        <option value="">none</option>
        <option value="conversation">conversation</option>
      </Select>
    </FormField>
  );
}
