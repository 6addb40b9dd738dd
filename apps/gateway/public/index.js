// Fills in the page: this address as the API base URL, the admin's usual address on this
// host, and whether the gateway is ready (/ready, or /health where /ready is on METRICS_PORT).
const base = `${location.origin}/v1`;
document.getElementById("base").textContent = base;
const admin = document.getElementById("admin");
admin.href = `${location.protocol}//${location.hostname}:3431/`;
admin.textContent = admin.href;

const state = document.getElementById("state");
function show(text, ok) {
  state.textContent = text;
  state.className = `state ${ok ? "ready" : "not-ready"}`;
}
async function check() {
  try {
    let res = await fetch("/ready", { cache: "no-store" });
    if (res.status === 404) res = await fetch("/health", { cache: "no-store" });
    const body = await res.json();
    if (body.status === "ready" || body.status === "ok") show("ready", true);
    else show(`not ready (${body.status})`, false);
  } catch {
    show("not answering", false);
  }
}
check();
setInterval(check, 10_000);
