interface MicroBatchOptions<T, R> {
  /** Flush as soon as the waiting items weigh this much. */
  maxSize: number;
  /** An item's weight (default 1), e.g. the number of logs a queue job carries. */
  sizeOf?: (item: T) => number;
  /** Flush a partial batch this long after its first item arrived. */
  flushMs: number;
  run: (items: T[]) => Promise<R>;
}

interface MicroBatch<T, R> {
  /** Resolves or rejects with the result of the batch the item ended up in. */
  add(item: T): Promise<R>;
}

interface Pending<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (err: unknown) => void;
}

/** Groups items added one by one (one per BullMQ job) into one call of `run`. */
export function createMicroBatch<T, R>(options: MicroBatchOptions<T, R>): MicroBatch<T, R> {
  const sizeOf = options.sizeOf ?? (() => 1);
  let pending: Pending<T, R>[] = [];
  let weight = 0;
  let timer: NodeJS.Timeout | undefined;

  function flush(): void {
    clearTimeout(timer);
    timer = undefined;
    const batch = pending;
    pending = [];
    weight = 0;
    Promise.resolve()
      .then(() => options.run(batch.map((p) => p.item)))
      .then(
        (result) => {
          for (const p of batch) p.resolve(result);
        },
        (err: unknown) => {
          for (const p of batch) p.reject(err);
        },
      );
  }

  return {
    add(item) {
      return new Promise<R>((resolve, reject) => {
        pending.push({ item, resolve, reject });
        weight += sizeOf(item);
        if (weight >= options.maxSize) flush();
        else timer ??= setTimeout(flush, options.flushMs);
      });
    },
  };
}
