"use client";

import { FormField } from "../ui/form-field";
import { Input } from "../ui/input";

/** The editor's text of a chain's budget and reference price; "" is not set. */
export interface BudgetText {
  dailyUsd: string;
  monthlyUsd: string;
  referencePrice: string;
}

export interface BudgetFieldsProps {
  value: BudgetText;
  onChange: (value: BudgetText) => void;
  errors: Record<string, string[]>;
  disabled: boolean;
}

/** Spend limits of the chain's paid entries, and the price "money saved" is counted against. */
export function BudgetFields({ value, onChange, errors, disabled }: BudgetFieldsProps) {
  const field = (key: keyof BudgetText, label: string, hint: string, placeholder: string) => (
    <div className="w-56">
      <FormField
        label={label}
        htmlFor={`chain-${key}`}
        hint={hint}
        errors={key === "referencePrice" ? errors.referencePrice : errors.budget}
      >
        <Input
          id={`chain-${key}`}
          data-testid={`chain-${key}`}
          value={value[key]}
          placeholder={placeholder}
          disabled={disabled}
          onChange={(e) => onChange({ ...value, [key]: e.target.value })}
        />
      </FormField>
    </div>
  );
  return (
    <div className="flex flex-wrap gap-4">
      {field(
        "dailyUsd",
        "Daily budget, USD (optional)",
        "Paid entries are skipped once the chain has spent this in the UTC day.",
        "1.00",
      )}
      {field("monthlyUsd", "Monthly budget, USD (optional)", "Per UTC calendar month.", "20")}
      {field(
        "referencePrice",
        "Reference price (optional)",
        "provider/model whose price the dashboard's money saved is counted against.",
        "openai/gpt-4o",
      )}
    </div>
  );
}

/** The chain's budget and reference price from the fields; null clears them. */
export function budgetPayload(text: BudgetText) {
  const usd = (s: string) => (s.trim() === "" ? undefined : Number(s.trim()));
  const dailyUsd = usd(text.dailyUsd);
  const monthlyUsd = usd(text.monthlyUsd);
  return {
    budget:
      dailyUsd === undefined && monthlyUsd === undefined
        ? null
        : {
            ...(dailyUsd === undefined ? {} : { dailyUsd }),
            ...(monthlyUsd === undefined ? {} : { monthlyUsd }),
          },
    referencePrice: referenceOf(text.referencePrice.trim()),
  };
}

// An explicit price is edited as its JSON ({"inputPerMTok": …, "outputPerMTok": …}).
function referenceOf(text: string): unknown {
  if (text === "") return null;
  if (!text.startsWith("{")) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function budgetText(
  chain: {
    budget?: { dailyUsd?: number; monthlyUsd?: number } | null;
    referencePrice?: unknown;
  } | null,
): BudgetText {
  const ref = chain?.referencePrice;
  return {
    dailyUsd: chain?.budget?.dailyUsd?.toString() ?? "",
    monthlyUsd: chain?.budget?.monthlyUsd?.toString() ?? "",
    referencePrice: ref == null ? "" : typeof ref === "string" ? ref : JSON.stringify(ref),
  };
}
