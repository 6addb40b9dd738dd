"use client";

import { type FormEvent, useState, useTransition } from "react";
import { testConnectionAction } from "../../server/providers/provider-actions";
import type { ConnectionTestResult } from "../../server/providers/test-connection";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { ErrorBanner } from "../ui/error-banner";
import { FormField } from "../ui/form-field";
import { Input } from "../ui/input";

interface TestConnectionPanelProps {
  providerId: string;
  /** Models this provider serves in chains or has limits for: offered as suggestions. */
  suggestedModels: string[];
  canWrite: boolean;
}

function formatReset(resetAt: number): string {
  const seconds = Math.max(0, Math.round((resetAt - Date.now()) / 1000));
  return seconds < 120 ? `in ${seconds} s` : `in ${Math.round(seconds / 60)} min`;
}

/** Sends one 1-token request with the stored key and shows what came back. */
export function TestConnectionPanel({
  providerId,
  suggestedModels,
  canWrite,
}: TestConnectionPanelProps) {
  const [model, setModel] = useState(suggestedModels[0] ?? "");
  const [result, setResult] = useState<ConnectionTestResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function run(event: FormEvent) {
    event.preventDefault();
    startTransition(async () => {
      const response = await testConnectionAction({ id: providerId, model });
      if (response.ok) {
        setResult(response.data);
        setError(null);
      } else {
        setResult(null);
        setError(response.error);
      }
    });
  }

  return (
    <form onSubmit={run} className="space-y-3" data-testid="test-connection">
      <p className="text-sm text-slate-600">
        Sends a one-token request in the provider&apos;s own API (chat completions, or Anthropic
        Messages) with the stored key. It counts against the provider&apos;s quota like any request.
      </p>
      <div className="flex items-end gap-2">
        <div className="flex-1">
          <FormField label="Model to ask" htmlFor="test-connection-model">
            <Input
              id="test-connection-model"
              list="test-connection-models"
              value={model}
              placeholder="llama-3.3-70b-versatile"
              disabled={!canWrite || pending}
              onChange={(e) => setModel(e.target.value)}
            />
          </FormField>
          <datalist id="test-connection-models">
            {suggestedModels.map((m) => (
              <option key={m} value={m} />
            ))}
          </datalist>
        </div>
        <Button type="submit" variant="secondary" disabled={!canWrite || pending}>
          {pending ? "Testing…" : "Test connection"}
        </Button>
      </div>
      <ErrorBanner message={error} />
      {result ? (
        <div data-testid="test-connection-result" role="status" className="space-y-2 text-sm">
          <p className="flex flex-wrap items-center gap-2">
            <Badge tone={result.ok ? "green" : "red"}>{result.ok ? "OK" : result.outcome}</Badge>
            <span data-testid="test-connection-status">
              {result.status === null ? "no HTTP answer" : `HTTP ${result.status}`}
            </span>
            <span data-testid="test-connection-latency">{result.latencyMs} ms</span>
          </p>
          <p className="text-slate-700">{result.message}</p>
          {result.rateLimits.length > 0 ? (
            <table className="text-left text-xs" data-testid="test-connection-limits">
              <thead className="text-slate-500">
                <tr>
                  <th className="pr-4">Window</th>
                  <th className="pr-4">Remaining</th>
                  <th className="pr-4">Limit</th>
                  <th>Resets</th>
                </tr>
              </thead>
              <tbody>
                {result.rateLimits.map((w) => (
                  <tr key={w.name}>
                    <td className="pr-4">
                      {w.name} ({w.unit})
                    </td>
                    <td className="pr-4">{w.remaining}</td>
                    <td className="pr-4">{w.limit ?? "?"}</td>
                    <td>{formatReset(w.resetAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="text-xs text-slate-500">The answer carried no rate-limit headers.</p>
          )}
        </div>
      ) : null}
    </form>
  );
}
