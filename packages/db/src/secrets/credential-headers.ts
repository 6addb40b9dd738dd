import { isCredentialHeader } from "@429chain/contracts";

/** A provider's headers split into those stored in the clear and the credentials; null when none. */
export function splitHeaders(headers: Record<string, string> | null | undefined): {
  plain: Record<string, string> | null;
  credentials: Record<string, string> | null;
} {
  const entries = Object.entries(headers ?? {});
  const pick = (credential: boolean) => {
    const picked = entries.filter(([name]) => isCredentialHeader(name) === credential);
    return picked.length > 0 ? Object.fromEntries(picked) : null;
  };
  return { plain: pick(false), credentials: pick(true) };
}
