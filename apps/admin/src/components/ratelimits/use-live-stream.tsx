"use client";

import { useEffect, useState } from "react";

export type Connection = "connecting" | "live" | "reconnecting" | "closed";

/**
 * Opens a live view's event stream (SSE) for as long as the component is mounted and calls
 * `handlers[event]` with each event's parsed data; says how the connection is doing.
 */
export function useLiveStream(
  url: string,
  handlers: Record<string, (data: unknown) => void>,
): Connection {
  const [connection, setConnection] = useState<Connection>("connecting");
  // One stream per mount: the handlers of the first render are kept (they call state setters).
  useEffect(() => {
    const source = new EventSource(url);
    source.addEventListener("open", () => setConnection("live"));
    // EventSource retries a dropped connection itself, but gives up on an error status
    // (e.g. 401 once the session has ended).
    source.addEventListener("error", () =>
      setConnection(source.readyState === EventSource.CLOSED ? "closed" : "reconnecting"),
    );
    // The server ends the stream when the session is over; reconnecting would only be refused.
    source.addEventListener("ended", () => {
      source.close();
      setConnection("closed");
    });
    for (const [event, handle] of Object.entries(handlers)) {
      source.addEventListener(event, (e) => handle(JSON.parse((e as MessageEvent).data)));
    }
    return () => source.close();
  }, [url]);
  return connection;
}

/** The time now, ticking every second: countdowns move between pushed states. */
export function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** "● live", or what is wrong with the connection. */
export function ConnectionStatus(props: { connection: Connection; testId: string }) {
  const { connection } = props;
  return (
    <span
      data-testid={props.testId}
      data-state={connection}
      className={connection === "live" ? "text-emerald-700" : "text-amber-700"}
    >
      {connection === "live"
        ? "● live"
        : connection === "connecting"
          ? "○ connecting…"
          : connection === "reconnecting"
            ? "○ connection lost, reconnecting…"
            : "○ live updates stopped: reload the page (you may need to log in again)"}
    </span>
  );
}
