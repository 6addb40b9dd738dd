import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "../../components/login/login-form";
import { getSession } from "../../lib/auth";

export const metadata: Metadata = { title: "Log in" };
export const dynamic = "force-dynamic";

export default async function LoginPage() {
  if (await getSession()) redirect("/dashboard");
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm space-y-6">
        <div>
          <h1 className="text-xl font-semibold text-slate-900">429chain admin</h1>
          <p className="mt-1 text-sm text-slate-600">
            Log in with your console account. The first admin is created with{" "}
            <code className="font-mono text-xs">pnpm cli users create</code>.
          </p>
        </div>
        <LoginForm />
      </div>
    </main>
  );
}
