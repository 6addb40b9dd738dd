/** Shown to viewers above a page whose write controls are disabled. */
export function ReadOnlyNote({ what }: { what: string }) {
  return (
    <p
      data-testid="read-only-note"
      className="rounded-md border border-slate-200 bg-slate-100 px-3 py-2 text-sm text-slate-700"
    >
      You are signed in as a viewer: you can look at {what}, but only admins can change them.
    </p>
  );
}

/** A link that looks like the primary button. */
export const LINK_BUTTON_CLASS =
  "inline-flex items-center rounded-md bg-indigo-600 px-3.5 py-2 text-sm font-medium text-white shadow-sm hover:bg-indigo-500";
