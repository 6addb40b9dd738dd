"use client";

import { useState } from "react";
import { Button, type ButtonProps } from "./button";

interface ConfirmButtonProps {
  /** The first button's text, e.g. "Delete"; the second reads "Confirm <label lower-cased>". */
  label: string;
  /** Accessible name of the first button, e.g. "Delete chain fast". */
  ariaLabel: string;
  variant?: ButtonProps["variant"];
  /** Pass true while the action runs, so it cannot be started twice. */
  disabled?: boolean;
  onConfirm(): void;
}

/** Two clicks for what cannot be undone: the button, then "Confirm …" or "Cancel". */
export function ConfirmButton(props: ConfirmButtonProps) {
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <Button
        variant={props.variant ?? "danger"}
        size="sm"
        disabled={props.disabled}
        aria-label={props.ariaLabel}
        onClick={() => setConfirming(true)}
      >
        {props.label}
      </Button>
    );
  }
  return (
    <span className="inline-flex gap-1">
      <Button
        variant="danger"
        size="sm"
        disabled={props.disabled}
        onClick={() => {
          setConfirming(false);
          props.onConfirm();
        }}
      >
        Confirm {props.label.toLowerCase()}
      </Button>
      <Button variant="ghost" size="sm" onClick={() => setConfirming(false)}>
        Cancel
      </Button>
    </span>
  );
}
