import { formatBudgets, formatChains, formatSpendBudgets } from "@429chain/db";
import type { KeyWithUsage } from "../../server/keys/keys-with-usage";
import { Badge } from "../ui/badge";
import { Table, TBody, Td, THead, Th, Tr } from "../ui/table";
import { RevokeKeyButton } from "./revoke-key-button";

const day = (date: Date | null) => (date === null ? "–" : date.toISOString().slice(0, 10));
const minute = (date: Date | null) =>
  date === null ? "never" : date.toISOString().replace("T", " ").slice(0, 16);

function status(key: KeyWithUsage, now: number) {
  if (key.revokedAt !== null) return <Badge tone="red">revoked {day(key.revokedAt)}</Badge>;
  if (key.expiresAt !== null && key.expiresAt.getTime() <= now) {
    return <Badge tone="yellow">expired</Badge>;
  }
  return <Badge tone="green">active</Badge>;
}

export function KeysTable({
  keys,
  canWrite,
  usageDays,
}: {
  keys: KeyWithUsage[];
  canWrite: boolean;
  usageDays: number;
}) {
  const now = Date.now();
  return (
    <Table aria-label="API keys">
      <THead>
        <tr>
          <Th>Name</Th>
          <Th>Prefix</Th>
          <Th>Status</Th>
          <Th>Chains</Th>
          <Th>RPM</Th>
          <Th>Token budgets</Th>
          <Th>Spend budgets</Th>
          <Th>Expires</Th>
          <Th>Usage ({usageDays} d)</Th>
          <Th>Last used (UTC)</Th>
          {canWrite ? <Th className="text-right">Actions</Th> : null}
        </tr>
      </THead>
      <TBody>
        {keys.map((key) => (
          <Tr key={key.id} data-testid={`key-row-${key.displayPrefix}`}>
            <Td>
              {key.name}
              {key.source === "config" ? (
                <span className="ml-2 text-xs text-slate-500">(from config file)</span>
              ) : null}
            </Td>
            <Td className="font-mono text-xs">{key.displayPrefix}…</Td>
            <Td>{status(key, now)}</Td>
            <Td>{formatChains(key.allowedChains)}</Td>
            <Td>{key.rpm ?? "–"}</Td>
            <Td className="whitespace-nowrap">{formatBudgets(key)}</Td>
            <Td className="whitespace-nowrap">{formatSpendBudgets(key)}</Td>
            <Td className="whitespace-nowrap">{day(key.expiresAt)}</Td>
            <Td className="whitespace-nowrap">
              {key.usage.requests.toLocaleString("en")} req ·{" "}
              {key.usage.tokens.toLocaleString("en")} tok
            </Td>
            <Td className="whitespace-nowrap">{minute(key.lastUsedAt)}</Td>
            {canWrite ? (
              <Td className="text-right">
                {key.revokedAt === null ? <RevokeKeyButton id={key.id} name={key.name} /> : null}
              </Td>
            ) : null}
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}
