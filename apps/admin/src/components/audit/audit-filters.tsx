import { Button } from "../ui/button";
import { FormField } from "../ui/form-field";
import { Input } from "../ui/input";
import { Select } from "../ui/select";

/** A GET form: filters live in the URL, so a filtered view can be shared. */
export function AuditFilters({
  actors,
  actor,
  target,
}: {
  actors: string[];
  actor?: string;
  target?: string;
}) {
  return (
    <form
      method="get"
      action="/audit"
      aria-label="Filter the audit log"
      className="flex flex-wrap items-end gap-3"
    >
      <div className="w-56">
        <FormField label="Actor" htmlFor="audit-actor">
          <Select id="audit-actor" name="actor" defaultValue={actor ?? ""}>
            <option value="">anyone</option>
            {actors.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </Select>
        </FormField>
      </div>
      <div className="w-72">
        <FormField
          label="Target"
          htmlFor="audit-target"
          hint='e.g. "provider:groq-free", or "chain" for every chain'
        >
          <Input id="audit-target" name="target" defaultValue={target ?? ""} />
        </FormField>
      </div>
      <Button type="submit" variant="secondary">
        Filter
      </Button>
    </form>
  );
}
