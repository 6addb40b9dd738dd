import { EmptyState } from "../ui/empty-state";

/** A page only admins may open, seen by a viewer. */
export function ForbiddenNotice({ what }: { what: string }) {
  return (
    <div data-testid="forbidden">
      <EmptyState title={`${what} is for admins only`}>
        You are signed in as a viewer. Ask an admin if you need to make changes here.
      </EmptyState>
    </div>
  );
}
