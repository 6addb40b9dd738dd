import type { ReactNode } from "react";
import { type NavItem, NavLinks } from "../../components/shell/nav-links";
import { Badge } from "../../components/ui/badge";
import { hasRole, requireUser } from "../../lib/auth";
import { logOutAction, logOutEverywhereAction } from "../../server/auth/actions";

// Every console page reads the session cookie and live data: never prerender.
export const dynamic = "force-dynamic";

const NAV: (NavItem & { adminOnly?: boolean })[] = [
  { href: "/dashboard", label: "Dashboard" },
  { href: "/requests", label: "Request log" },
  { href: "/ratelimits", label: "Rate limits" },
  { href: "/quota", label: "Quota" },
  { href: "/playground", label: "Playground" },
  { href: "/providers", label: "Providers" },
  { href: "/chains", label: "Chains" },
  { href: "/keys", label: "API keys" },
  { href: "/users", label: "Users", adminOnly: true },
  { href: "/audit", label: "Audit log" },
];

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const session = await requireUser();
  const items = NAV.filter((item) => !item.adminOnly || hasRole(session, "admin")).map(
    ({ href, label }) => ({ href, label }),
  );
  return (
    <div className="flex min-h-screen">
      <aside className="flex w-56 shrink-0 flex-col bg-slate-900 px-3 py-4">
        <p className="px-3 pb-4 text-base font-semibold text-white">429chain</p>
        <nav aria-label="Main" className="flex-1">
          <NavLinks items={items} />
        </nav>
        <div className="space-y-2 border-t border-slate-700 px-3 pt-3 text-xs text-slate-300">
          <p data-testid="current-user" className="truncate" title={session.user.email}>
            {session.user.email}
          </p>
          <Badge tone={session.user.role === "admin" ? "blue" : "neutral"}>
            <span data-testid="current-role">{session.user.role}</span>
          </Badge>
          <form action={logOutAction}>
            <button type="submit" className="block text-slate-300 underline hover:text-white">
              Log out
            </button>
          </form>
          <form action={logOutEverywhereAction}>
            <button type="submit" className="block text-slate-300 underline hover:text-white">
              Log out everywhere
            </button>
          </form>
        </div>
      </aside>
      <main className="min-w-0 flex-1 px-8 py-6">{children}</main>
    </div>
  );
}
