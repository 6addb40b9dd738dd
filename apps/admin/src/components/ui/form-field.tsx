import type { ReactNode } from "react";

interface FormFieldProps {
  label: string;
  /** The id of the control inside, tying the label and messages to it. */
  htmlFor: string;
  hint?: ReactNode;
  errors?: string[];
  children: ReactNode;
}

/** A label, the control, a hint and the field's errors (announced to screen readers). */
export function FormField({ label, htmlFor, hint, errors, children }: FormFieldProps) {
  return (
    <div className="space-y-1">
      <label htmlFor={htmlFor} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      {children}
      {hint && !errors?.length ? <p className="text-xs text-slate-500">{hint}</p> : null}
      {errors?.length ? (
        <p id={`${htmlFor}-error`} role="alert" className="text-xs text-red-600">
          {errors.join("; ")}
        </p>
      ) : null}
    </div>
  );
}
