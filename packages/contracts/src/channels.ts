/**
 * Redis pub/sub channel on which every config write announces "config changed"; gateway
 * replicas reload their snapshot when a message arrives. Under the deployment's key prefix.
 */
export function configChangedChannel(prefix: string): string {
  return `${prefix}config-changed`;
}
