import { EmptyState } from "../ui/empty-state";

/** The Rate limits and Quota pages when the admin can reach no gateway state. */
export function LiveStateUnavailable() {
  return (
    <EmptyState title="Live state needs Redis or a gateway's control API">
      Without Redis each gateway keeps its quota state in its own memory. Run the gateways and the
      admin with the same REDIS_URL (and REDIS_KEY_PREFIX), or give the gateway a CONTROL_TOKEN and
      the admin GATEWAY_CONTROL_URL and GATEWAY_CONTROL_TOKEN, to watch it here.
    </EmptyState>
  );
}
