export interface MicroBatchOptions<T, R> {
  /** Flush as soon as this many items wait. */
  maxSize: number;
  /** Flush a partial batch this long after its first item arrived. */
  flushMs: number;
  run: (items: T[]) => Promise<R>;
}

export interface MicroBatch<T, R> {
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
  let pending: Pending<T, R>[] = [];
  let timer: NodeJS.Timeout | undefined;

  function flush(): void {
    clearTimeout(timer);
    timer = undefined;
    const batch = pending;
    pending = [];
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
        if (pending.length >= options.maxSize) flush();
        else timer ??= setTimeout(flush, options.flushMs);
      });
    },
  };
}
