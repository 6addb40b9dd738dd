/** Runs once when the Next.js server starts, before it answers a request. */
export async function register(): Promise<void> {
  // Next also builds this file for the edge runtime, where node:http does not exist;
  // NEXT_RUNTIME is a constant it sets per build target, not configuration.
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { installPeerAddressStamp } = await import("./server/net/peer-address-stamp");
    installPeerAddressStamp();
  }
}
