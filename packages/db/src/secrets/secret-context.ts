// Additional authenticated data per stored secret: ties each ciphertext to its own row.
export function providerSecretContext(providerId: string): string {
  return `provider:${providerId}`;
}

export function clientKeySecretContext(keyHash: string): string {
  return `client-key:${keyHash}`;
}

/** One credential header of a provider: a value copied to another header or row fails. */
export function providerHeaderSecretContext(providerId: string, headerName: string): string {
  return `provider:${providerId}:header:${headerName}`;
}
