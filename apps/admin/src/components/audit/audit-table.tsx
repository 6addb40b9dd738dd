import type { AuditRecord } from "@429chain/db";
import { Table, TBody, Td, THead, Th, Tr } from "../ui/table";

function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

export function AuditTable({ entries }: { entries: AuditRecord[] }) {
  return (
    <Table aria-label="Audit log">
      <THead>
        <tr>
          <Th>When (UTC)</Th>
          <Th>Actor</Th>
          <Th>Action</Th>
          <Th>Target</Th>
          <Th>Config version</Th>
          <Th>Change</Th>
        </tr>
      </THead>
      <TBody>
        {entries.map((entry) => (
          <Tr key={entry.id} data-testid="audit-row">
            <Td className="whitespace-nowrap font-mono text-xs">
              {entry.at.toISOString().replace("T", " ").slice(0, 19)}
            </Td>
            <Td>{entry.actor}</Td>
            <Td className="font-mono text-xs">{entry.action}</Td>
            <Td className="font-mono text-xs">{entry.target}</Td>
            <Td>{entry.configVersion ?? "–"}</Td>
            <Td>
              {entry.before === null && entry.after === null ? (
                "–"
              ) : (
                <details>
                  <summary className="cursor-pointer text-indigo-700">before / after</summary>
                  <div className="mt-2 grid max-w-3xl gap-2 md:grid-cols-2">
                    <pre className="overflow-x-auto rounded bg-slate-100 p-2 text-xs">
                      {entry.before === null ? "(none)" : json(entry.before)}
                    </pre>
                    <pre className="overflow-x-auto rounded bg-slate-100 p-2 text-xs">
                      {entry.after === null ? "(none)" : json(entry.after)}
                    </pre>
                  </div>
                </details>
              )}
            </Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}
