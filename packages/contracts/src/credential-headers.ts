// A provider header whose name says it carries a credential (Authorization, X-Api-Key,
// X-Auth-Token, X-Client-Secret …) is treated like the provider's apiKey: encrypted at rest,
// masked in the console, redacted in exports and audit entries. Here, not in @429chain/db,
// because the console's browser code needs it too.
const CREDENTIAL_NAME = /key|auth|token|secret/i;

export function isCredentialHeader(name: string): boolean {
  return CREDENTIAL_NAME.test(name);
}

/**
 * Stands in for a credential header's value where it is hidden (an export without secrets,
 * an audit entry, a console form that leaves it as it is); written back, it keeps the stored
 * value.
 */
export const REDACTED_PROVIDER_HEADER = "<redacted:provider-header>";
