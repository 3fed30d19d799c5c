/**
 * Preloaded into a bench's worker process (NODE_OPTIONS="--expose-gc --require bench/floor/memory-probe.cjs", with
 * BENCH_MEMORY_PROBE_DIR set): in every thread — the main one and the SDK's workflow thread, each a V8 heap of its
 * own — it watches <dir>/request and, when the number written there grows, collects garbage and writes the thread's
 * heap figures to <dir>/thread-<id>.json. The bench reads live memory after a full GC instead of an RSS between
 * collections. Bench-only: production workers never load it.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const v8 = require('node:v8');
const { threadId, isMainThread } = require('node:worker_threads');

const dir = process.env.BENCH_MEMORY_PROBE_DIR;
if (dir && typeof globalThis.gc === 'function') {
  let seen = 0;
  const timer = setInterval(() => {
    let seq = 0;
    try {
      seq = Number(fs.readFileSync(path.join(dir, 'request'), 'utf8'));
    } catch {
      return;
    }
    if (!(seq > seen)) return;
    seen = seq;
    globalThis.gc();
    globalThis.gc();
    const heap = v8.getHeapStatistics();
    const mem = process.memoryUsage();
    const out = {
      seq,
      threadId,
      main: isMainThread,
      heapUsed: heap.used_heap_size,
      heapTotal: heap.total_heap_size,
      external: isMainThread ? mem.external : 0,
      rss: isMainThread ? mem.rss : 0,
    };
    const file = path.join(dir, `thread-${threadId}.json`);
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(out));
    fs.renameSync(`${file}.tmp`, file);
  }, 250);
  timer.unref();
}
