import "server-only";
import {
  type ChainInput,
  type ChainUpdateInput,
  createChain,
  deleteChain,
  setDefaultChain,
  updateChain,
} from "@429chain/db";
import type { Session } from "../../lib/auth";
import { type ConfigDeps, writeConfig } from "../config/config-write";
import type { ChainEntriesInput, ChainNameInput } from "./chain-inputs";

// The action bodies: plain functions of the dependencies, the caller and the parsed input.

const optionsOf = (deps: ConfigDeps, session: Session) => ({
  masterKey: deps.masterKey,
  actor: session.user.email,
});

export function createChainBody(deps: ConfigDeps, session: Session, input: ChainEntriesInput) {
  // The config schema types are only claimed here: @429chain/db validates them.
  const chain = {
    ...input,
    dimensions: input.dimensions ?? undefined,
    affinity: input.affinity ?? undefined,
    budget: input.budget ?? undefined,
    referencePrice: input.referencePrice ?? undefined,
  } as ChainInput;
  return writeConfig(deps, () => createChain(deps.db, chain, optionsOf(deps, session)));
}

export function updateChainBody(deps: ConfigDeps, session: Session, input: ChainEntriesInput) {
  const update = {
    entries: input.entries,
    kind: input.kind,
    dimensions: input.dimensions,
    affinity: input.affinity,
    budget: input.budget,
    referencePrice: input.referencePrice,
  } as ChainUpdateInput;
  return writeConfig(deps, () =>
    updateChain(deps.db, input.name, update, optionsOf(deps, session)),
  );
}

export function deleteChainBody(deps: ConfigDeps, session: Session, input: ChainNameInput) {
  return writeConfig(deps, () => deleteChain(deps.db, input.name, optionsOf(deps, session)));
}

export function setDefaultChainBody(deps: ConfigDeps, session: Session, input: ChainNameInput) {
  return writeConfig(deps, () => setDefaultChain(deps.db, input.name, optionsOf(deps, session)));
}
