"use client";

import type { Chain } from "@429chain/contracts";
import type { KeyboardEvent, PointerEvent, Ref } from "react";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Input } from "../ui/input";
import { Select } from "../ui/select";
import type { EditorEntry } from "./entry-order";
import { type ProviderOption, providerChoices } from "./provider-choices";

const SMALL_BUTTON =
  "rounded-md px-2.5 py-1 text-xs font-medium text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed disabled:text-slate-300";

interface EntryRowProps {
  entry: EditorEntry;
  index: number;
  count: number;
  providers: ProviderOption[];
  /** The chain's kind: an embeddings chain takes only providers with an embeddings API. */
  kind: Chain["kind"];
  /** id of the datalist with model suggestions for the entry's provider. */
  modelListId: string;
  errors: string[];
  disabled: boolean;
  dragging: boolean;
  handleRef: Ref<HTMLButtonElement>;
  onChange(patch: Partial<EditorEntry>): void;
  onMove(to: number, via: "handle" | "up" | "down"): void;
  onRemove(): void;
  onDragStart(event: PointerEvent<HTMLButtonElement>): void;
  upRef: Ref<HTMLButtonElement>;
  downRef: Ref<HTMLButtonElement>;
}

export function EntryRow(props: EntryRowProps) {
  const { entry, index, count, providers, disabled } = props;
  const position = index + 1;
  const label = `${entry.provider || "no provider"} / ${entry.model || "no model"}`;
  const options = providerChoices(providers, props.kind, entry.provider);
  const provider = options.find((p) => p.id === entry.provider);

  function onHandleKey(event: KeyboardEvent<HTMLButtonElement>) {
    const to = event.key === "ArrowUp" ? index - 1 : event.key === "ArrowDown" ? index + 1 : null;
    if (to === null) return;
    event.preventDefault();
    props.onMove(to, "handle");
  }

  return (
    <li
      data-entry-row
      data-row-id={entry.rowId}
      data-testid="chain-entry"
      aria-label={`Entry ${position}: ${label}`}
      className={`flex flex-wrap items-center gap-2 rounded-md border bg-white p-2 ${
        props.dragging ? "border-indigo-400 opacity-70 shadow-lg" : "border-slate-200"
      }`}
    >
      <button
        ref={props.handleRef}
        type="button"
        data-testid="entry-drag-handle"
        aria-label={`Reorder entry ${position} of ${count} (${label}): drag, or press the up and down arrow keys`}
        aria-describedby="chain-entries-help"
        disabled={disabled}
        onPointerDown={props.onDragStart}
        onKeyDown={onHandleKey}
        className="cursor-grab touch-none select-none rounded px-2 py-1 text-lg leading-none text-slate-500 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed"
      >
        ⠿
      </button>
      <span
        className="w-6 text-right text-sm tabular-nums text-slate-500"
        data-testid="entry-position"
      >
        {position}.
      </span>
      <div className="w-48 shrink-0">
        <Select
          aria-label={`Entry ${position} provider`}
          value={entry.provider}
          disabled={disabled}
          onChange={(e) => props.onChange({ provider: e.target.value })}
        >
          <option value="" disabled>
            Choose a provider
          </option>
          {options.map((p) => (
            <option key={p.id} value={p.id} disabled={p.unavailable !== null}>
              {p.id}
              {p.unavailable ? ` (${p.unavailable})` : p.enabled ? "" : " (disabled)"}
            </option>
          ))}
        </Select>
      </div>
      <div className="min-w-48 flex-1">
        <Input
          aria-label={`Entry ${position} model`}
          list={props.modelListId}
          placeholder="upstream model, e.g. llama-3.3-70b-versatile"
          value={entry.model}
          disabled={disabled}
          onChange={(e) => props.onChange({ model: e.target.value })}
        />
      </div>
      <label className="flex items-center gap-1 text-sm text-slate-700">
        <input
          type="checkbox"
          checked={entry.enabled}
          disabled={disabled}
          aria-label={`Entry ${position} enabled`}
          onChange={(e) => props.onChange({ enabled: e.target.checked })}
        />
        Enabled
      </label>
      {provider?.unavailable ? (
        <Badge tone="red">{provider.unavailable}</Badge>
      ) : provider && !provider.enabled ? (
        <Badge tone="yellow">provider disabled</Badge>
      ) : null}
      <div className="ml-auto flex gap-1">
        <button
          ref={props.upRef}
          type="button"
          className={SMALL_BUTTON}
          aria-label={`Move entry ${position} up`}
          disabled={disabled || index === 0}
          onClick={() => props.onMove(index - 1, "up")}
        >
          ↑
        </button>
        <button
          ref={props.downRef}
          type="button"
          className={SMALL_BUTTON}
          aria-label={`Move entry ${position} down`}
          disabled={disabled || index === count - 1}
          onClick={() => props.onMove(index + 1, "down")}
        >
          ↓
        </button>
        <Button
          variant="ghost"
          size="sm"
          aria-label={`Remove entry ${position}`}
          disabled={disabled}
          onClick={props.onRemove}
        >
          Remove
        </Button>
      </div>
      {props.errors.length > 0 ? (
        <p role="alert" className="basis-full pl-16 text-xs text-red-600">
          {props.errors.join("; ")}
        </p>
      ) : null}
    </li>
  );
}
