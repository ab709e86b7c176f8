import v8 from 'node:v8';

/** Bytes the heap grew by while `run` ran, garbage collections included (V8's GC profiler sees each one). */
export async function allocated(run: () => Promise<void>): Promise<number> {
  const profiler = new v8.GCProfiler();
  const start = v8.getHeapStatistics().used_heap_size;
  profiler.start();
  await run();
  const end = v8.getHeapStatistics().used_heap_size;
  const gcs = profiler.stop()?.statistics ?? [];
  let total = 0;
  let from = start;
  for (const gc of gcs) {
    total += gc.beforeGC.heapStatistics.usedHeapSize - from;
    from = gc.afterGC.heapStatistics.usedHeapSize;
  }
  return total + end - from;
}
