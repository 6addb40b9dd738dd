import { describe } from "vitest";
import { describeCircuitContract } from "./contract-suite/circuit";
import { describeCooldownContract } from "./contract-suite/cooldowns";
import { describeEntryStateContract } from "./contract-suite/entry-states";
import { type ContractFactory, useContractContext } from "./contract-suite/fixtures";
import { describeHeaderWindowContract } from "./contract-suite/header-windows";
import { describeManualLimitContract } from "./contract-suite/manual-limits";

export {
  type ContractFactory,
  type ContractSubject,
  createTestClock,
  /** The cooldown policy the contract runs with (rate-limit cooldowns of at most 8 s). */
  POLICY as TEST_COOLDOWN_POLICY,
  type TestClock,
} from "./contract-suite/fixtures";

/**
 * The behaviour every QuotaStore must show. Run by the memory and Redis stores; a new backend
 * passes this suite or is not a QuotaStore. Imports vitest, hence its own package entry.
 */
export function describeQuotaStoreContract(name: string, factory: ContractFactory): void {
  describe(`QuotaStore contract: ${name}`, () => {
    const get = useContractContext(factory);
    describeCooldownContract(get);
    describeCircuitContract(get);
    describeHeaderWindowContract(get);
    describeManualLimitContract(get);
    describeEntryStateContract(get);
  });
}
