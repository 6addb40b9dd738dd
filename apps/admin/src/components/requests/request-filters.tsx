import { API_SURFACES, REQUEST_OUTCOMES } from "@429chain/contracts";
import type { ReactNode } from "react";
import type { FilterOptions } from "../../server/requests/filter-options";
import type { RequestLogParams } from "../../server/requests/request-log-filters";
import { toInputValue } from "../dashboard/format";
import { Button } from "../ui/button";
import { Input } from "../ui/input";
import { Select } from "../ui/select";

function Field({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-xs font-medium text-slate-600">
        {label}
      </label>
      {children}
    </div>
  );
}

/** A plain GET form: the filters live in the URL, so a filtered view can be shared. */
export function RequestFilters({
  params,
  options,
}: {
  params: RequestLogParams;
  options: FilterOptions;
}) {
  return (
    <form
      method="get"
      aria-label="Filter requests"
      className="grid grid-cols-2 items-end gap-3 md:grid-cols-4 xl:grid-cols-8"
    >
      <Field id="f-from" label="From (UTC)">
        <Input
          id="f-from"
          type="datetime-local"
          name="from"
          defaultValue={params.from ? toInputValue(params.from) : ""}
        />
      </Field>
      <Field id="f-to" label="To (UTC)">
        <Input
          id="f-to"
          type="datetime-local"
          name="to"
          defaultValue={params.to ? toInputValue(params.to) : ""}
        />
      </Field>
      <Field id="f-chain" label="Chain">
        <Select id="f-chain" name="chain" defaultValue={params.chain ?? ""}>
          <option value="">any</option>
          {options.chains.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </Select>
      </Field>
      <Field id="f-provider" label="Provider">
        <Select id="f-provider" name="provider" defaultValue={params.provider ?? ""}>
          <option value="">any</option>
          {options.providers.map((p) => (
            <option key={p}>{p}</option>
          ))}
        </Select>
      </Field>
      <Field id="f-key" label="API key">
        <Select id="f-key" name="key" defaultValue={params.key ?? ""}>
          <option value="">any</option>
          {options.keys.map((k) => (
            <option key={k.id} value={k.id}>
              {k.label}
            </option>
          ))}
        </Select>
      </Field>
      <Field id="f-outcome" label="Outcome">
        <Select id="f-outcome" name="outcome" defaultValue={params.outcome ?? ""}>
          <option value="">any</option>
          {REQUEST_OUTCOMES.map((o) => (
            <option key={o}>{o}</option>
          ))}
        </Select>
      </Field>
      <Field id="f-api" label="API">
        <Select id="f-api" name="api" defaultValue={params.api ?? ""}>
          <option value="">any</option>
          {API_SURFACES.map((a) => (
            <option key={a}>{a}</option>
          ))}
        </Select>
      </Field>
      <Field id="f-client-request-id" label="Client request id">
        <Input
          id="f-client-request-id"
          name="clientRequestId"
          placeholder="X-Request-Id"
          maxLength={128}
          defaultValue={params.clientRequestId ?? ""}
        />
      </Field>
      <div className="flex gap-2">
        <Button type="submit">Filter</Button>
        <a href="/requests" className="px-2 py-2 text-sm text-slate-600 underline">
          Reset
        </a>
      </div>
    </form>
  );
}
