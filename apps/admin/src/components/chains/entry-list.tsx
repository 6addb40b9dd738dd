"use client";

import type { Chain } from "@429chain/contracts";
import { type PointerEvent, useEffect, useRef, useState } from "react";
import { Button } from "../ui/button";
import { dropIndex, type EditorEntry, moveEntry } from "./entry-order";
import { EntryRow } from "./entry-row";
import type { ProviderOption } from "./provider-choices";

interface EntryListProps {
  entries: EditorEntry[];
  onChange(entries: EditorEntry[]): void;
  providers: ProviderOption[];
  kind: Chain["kind"];
  /** Model names seen per provider, offered as suggestions. */
  modelsByProvider: Record<string, string[]>;
  fieldErrors: Record<string, string[]>;
  disabled: boolean;
  newEntry(): EditorEntry;
}

type FocusTarget = { rowId: number; via: "handle" | "up" | "down" };

const describe = (e: EditorEntry) => `${e.provider || "no provider"} / ${e.model || "no model"}`;
const movedMessage = (list: EditorEntry[], at: number) =>
  `${describe(list[at]!)} is now entry ${at + 1} of ${list.length}.`;

/**
 * The chain's entries in waterfall order. Reorder by dragging a row's handle (pointer events,
 * so mouse, pen and touch all work), by the arrow keys on a focused handle, or with the move
 * buttons; each move is announced to screen readers.
 */
export function EntryList(props: EntryListProps) {
  const { entries, onChange } = props;
  const listRef = useRef<HTMLOListElement>(null);
  const buttons = useRef(new Map<string, HTMLButtonElement>());
  const [dragging, setDragging] = useState<number | null>(null);
  const [focus, setFocus] = useState<FocusTarget | null>(null);
  const [announcement, setAnnouncement] = useState("");
  // The drag listeners live across renders; they read the newest list and callback here.
  const latest = useRef({ entries, onChange });
  latest.current = { entries, onChange };

  function move(from: number, to: number, via: FocusTarget["via"]) {
    if (to < 0 || to >= entries.length) return;
    const rowId = entries[from]!.rowId;
    const next = moveEntry(entries, from, to);
    onChange(next);
    setAnnouncement(movedMessage(next, to));
    const atEdge = (via === "up" && to === 0) || (via === "down" && to === next.length - 1);
    setFocus({ rowId, via: atEdge ? "handle" : via });
  }

  // Moving a DOM node can drop its focus; put it back on the control that was used.
  useEffect(() => {
    if (focus) buttons.current.get(`${focus.rowId}:${focus.via}`)?.focus();
  }, [focus]);

  useEffect(() => {
    if (dragging === null) return;
    const onMove = (event: globalThis.PointerEvent) => {
      const rows = [...(listRef.current?.querySelectorAll<HTMLElement>("[data-entry-row]") ?? [])];
      const middles = rows
        .filter((r) => Number(r.dataset.rowId) !== dragging)
        .map((r) => {
          const box = r.getBoundingClientRect();
          return box.top + box.height / 2;
        });
      const to = dropIndex(middles, event.clientY);
      const list = latest.current.entries;
      const from = list.findIndex((e) => e.rowId === dragging);
      if (from >= 0 && from !== to) latest.current.onChange(moveEntry(list, from, to));
    };
    const onEnd = () => {
      const list = latest.current.entries;
      const at = list.findIndex((e) => e.rowId === dragging);
      if (at >= 0) setAnnouncement(movedMessage(list, at));
      setDragging(null);
    };
    window.addEventListener("pointermove", onMove);
    window.addEventListener("pointerup", onEnd);
    window.addEventListener("pointercancel", onEnd);
    return () => {
      window.removeEventListener("pointermove", onMove);
      window.removeEventListener("pointerup", onEnd);
      window.removeEventListener("pointercancel", onEnd);
    };
  }, [dragging]);

  function startDrag(rowId: number, event: PointerEvent<HTMLButtonElement>) {
    if (event.button !== 0) return;
    // No text selection or native drag while the row follows the pointer.
    event.preventDefault();
    setDragging(rowId);
  }

  const refFor = (rowId: number, via: FocusTarget["via"]) => (el: HTMLButtonElement | null) => {
    if (el) buttons.current.set(`${rowId}:${via}`, el);
    else buttons.current.delete(`${rowId}:${via}`);
  };

  return (
    <div className="space-y-3">
      <p id="chain-entries-help" className="text-xs text-slate-500">
        The gateway tries entries from the top down. Drag a row by its handle, or focus the handle
        and press ↑ / ↓.
      </p>
      {entries.length === 0 ? (
        <p className="text-sm text-slate-600" data-testid="chain-entries-empty">
          No entries yet: add at least one provider and model.
        </p>
      ) : null}
      <ol
        ref={listRef}
        className="space-y-2"
        data-testid="chain-entries"
        aria-label="Chain entries"
      >
        {entries.map((entry, index) => (
          <EntryRow
            key={entry.rowId}
            entry={entry}
            index={index}
            count={entries.length}
            providers={props.providers}
            kind={props.kind}
            modelListId={`models-${entry.provider}`}
            errors={[
              ...(props.fieldErrors[`entries.${index}`] ?? []),
              ...(props.fieldErrors[`entries.${index}.provider`] ?? []).map(
                (m) => `provider: ${m}`,
              ),
              ...(props.fieldErrors[`entries.${index}.model`] ?? []).map((m) => `model: ${m}`),
            ]}
            disabled={props.disabled}
            dragging={dragging === entry.rowId}
            handleRef={refFor(entry.rowId, "handle")}
            upRef={refFor(entry.rowId, "up")}
            downRef={refFor(entry.rowId, "down")}
            onChange={(patch) =>
              onChange(entries.map((e) => (e.rowId === entry.rowId ? { ...e, ...patch } : e)))
            }
            onMove={(to, via) => move(index, to, via)}
            onRemove={() => {
              onChange(entries.filter((e) => e.rowId !== entry.rowId));
              setAnnouncement(`Removed ${describe(entry)}.`);
            }}
            onDragStart={(event) => startDrag(entry.rowId, event)}
          />
        ))}
      </ol>
      {Object.entries(props.modelsByProvider).map(([provider, models]) => (
        <datalist key={provider} id={`models-${provider}`}>
          {models.map((m) => (
            <option key={m} value={m} />
          ))}
        </datalist>
      ))}
      <Button
        variant="secondary"
        size="sm"
        disabled={props.disabled}
        data-testid="add-chain-entry"
        onClick={() => onChange([...entries, props.newEntry()])}
      >
        Add entry
      </Button>
      <p aria-live="polite" className="sr-only" data-testid="chain-entries-announcement">
        {announcement}
      </p>
    </div>
  );
}
