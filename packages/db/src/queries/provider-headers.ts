import { isCredentialHeader } from "@429chain/contracts";
import type { providers } from "../schema";
import { decryptSecret, SecretDecryptError } from "../secrets/encrypt-secret";
import type { MasterKey } from "../secrets/master-key";
import { providerHeaderSecretContext } from "../secrets/secret-context";
import { isRedacted, REDACTED_PROVIDER_HEADER } from "./redaction";

type ProviderRow = typeof providers.$inferSelect;
type Headers = Record<string, string>;

const nonEmpty = (headers: Headers) => (Object.keys(headers).length > 0 ? headers : undefined);

/**
 * Every header of the row, the encrypted ones decrypted: those stored in the clear first,
 * then the credentials, each group in stored order.
 */
export function decryptedHeaders(row: ProviderRow, key: MasterKey): Headers | undefined {
  const out: Headers = { ...row.headers };
  for (const [name, ciphertext] of Object.entries(row.secretHeaders ?? {})) {
    try {
      out[name] = decryptSecret(ciphertext, key, providerHeaderSecretContext(row.id, name));
    } catch (err) {
      throw new SecretDecryptError(
        `provider "${row.id}" header "${name}": ${(err as Error).message}`,
      );
    }
  }
  return nonEmpty(out);
}

/** `headers` with every credential's value replaced by `mark(name, value)`. */
export function redactHeaders(
  headers: Headers | null | undefined,
  mark: (name: string, value: string) => string = () => REDACTED_PROVIDER_HEADER,
): Headers | undefined {
  if (!headers) return undefined;
  return nonEmpty(
    Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [
        name,
        isCredentialHeader(name) ? mark(name, value) : value,
      ]),
    ),
  );
}

/**
 * The row's headers as decryptedHeaders orders them, credentials as `<redacted:…>`; needs no
 * master key. A credential stored in the clear before credentials were split off is redacted
 * all the same.
 */
export function redactedStoredHeaders(row: ProviderRow): Headers | undefined {
  const secret = Object.keys(row.secretHeaders ?? {}).map((name) => [
    name,
    REDACTED_PROVIDER_HEADER,
  ]);
  return nonEmpty({ ...redactHeaders(row.headers), ...Object.fromEntries(secret) });
}

/**
 * Puts the stored value back for every header given as a `<redacted:…>` placeholder: how an
 * export without secrets, or a console form that left a credential as it was, keeps it.
 * `missing` names placeholders with no stored header of that name.
 */
export function resolveRedactedHeaders(
  headers: Headers | undefined,
  stored: Headers | undefined,
): { headers: Headers | undefined; missing: string[] } {
  if (!headers) return { headers, missing: [] };
  const missing: string[] = [];
  const resolved = Object.fromEntries(
    Object.entries(headers).map(([name, value]) => {
      if (!isRedacted(value)) return [name, value];
      const kept = stored?.[name];
      if (kept === undefined) missing.push(name);
      return [name, kept ?? value];
    }),
  );
  return { headers: resolved, missing };
}
