export interface EditorEntry {
  /** Stable React key and drag identity; not sent to the server. */
  rowId: number;
  provider: string;
  model: string;
  enabled: boolean;
  /** The entry's own price, kept through an edit. */
  price?: { inputPerMTok: number; outputPerMTok: number; cachedInputPerMTok?: number };
}

/** The list with the item at `from` moved to index `to` of the resulting list. */
export function moveEntry<T>(list: readonly T[], from: number, to: number): T[] {
  if (from === to || from < 0 || to < 0 || to >= list.length) return [...list];
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item!);
  return next;
}

/**
 * Where a dragged row lands: the number of the other rows whose middle is above the pointer.
 * Ignoring the dragged row itself keeps the answer stable while the row moves under it.
 */
export function dropIndex(otherRowMiddles: readonly number[], pointerY: number): number {
  return otherRowMiddles.filter((middle) => middle < pointerY).length;
}
