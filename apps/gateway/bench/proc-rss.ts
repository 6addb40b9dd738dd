import { childPids } from "@429chain/testing";

/**
 * The process actually serving: a launcher such as the tsx CLI runs node as a child, so
 * follow single children down to the leaf. A direct `node --import tsx` child is its own leaf.
 */
export function serverPid(pid: number): number {
  let current = pid;
  for (let depth = 0; depth < 5; depth++) {
    const kids = childPids(current);
    if (kids.length !== 1 || kids[0] === undefined) return current;
    current = kids[0];
  }
  return current;
}
