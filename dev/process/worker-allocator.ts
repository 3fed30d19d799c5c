import fs from 'node:fs';

/**
 * Which malloc a worker process runs on. Most of a cached show's memory outside the V8 heap is memory glibc keeps
 * after it was freed: at 300 shows, `malloc_trim(0)` called into a steady worker (gdb) took its RSS from 676 to
 * 409 MB (issue 15, bench/on-paper.md). glibc gives threads arenas of their own and returns an arena's free pages only
 * from its top; the SDK's core and Node run many threads. The benches compare the choices (`--allocator`).
 *
 * - glibc: as the process starts (Node's default);
 * - glibc-2-arenas: glibc with MALLOC_ARENA_MAX=2, fewer arenas to hold free memory;
 * - jemalloc: Debian's libjemalloc2 preloaded (LD_PRELOAD), which returns freed pages to the system after a decay,
 *   purging on background threads (JEMALLOC_CONF).
 */
export const WORKER_ALLOCATORS = ['glibc', 'glibc-2-arenas', 'jemalloc'] as const;
export type WorkerAllocator = (typeof WORKER_ALLOCATORS)[number];

/**
 * What the image's processes run on (Dockerfile: LD_PRELOAD and MALLOC_CONF; test/deploy/compose-config.test.ts holds
 * them together). The benches' workers run on it too, so their figures are production's.
 */
export const PRODUCTION_ALLOCATOR: WorkerAllocator = 'jemalloc';

/** Where Debian's libjemalloc2 installs the library (amd64, arm64). */
const JEMALLOC_PATHS = ['/usr/lib/x86_64-linux-gnu/libjemalloc.so.2', '/usr/lib/aarch64-linux-gnu/libjemalloc.so.2'];

/**
 * jemalloc's settings for a worker (Dockerfile sets the same): purge on background threads. A shorter decay
 * (`dirty_decay_ms:1000` instead of 10 s) was tried at 1,000 cached shows and made no difference beyond the spread
 * between runs (steady RSS 824 and 996 MB against 943–998 MB; bench/on-paper.md), so jemalloc's default stays.
 */
export const JEMALLOC_CONF = 'background_thread:true';

/** The environment that makes a worker process run on `allocator`; throws, naming the package, if it is missing. */
export function workerAllocatorEnv(allocator: WorkerAllocator): Record<string, string> {
  switch (allocator) {
    case 'glibc':
      return {};
    case 'glibc-2-arenas':
      return { MALLOC_ARENA_MAX: '2' };
    case 'jemalloc': {
      const library = JEMALLOC_PATHS.find((p) => fs.existsSync(p));
      if (!library)
        throw new Error(
          `jemalloc is not installed (apt-get install libjemalloc2): none of ${JEMALLOC_PATHS.join(', ')}`,
        );
      // Purged by jemalloc's own background threads, not inline in the threads that allocate: an idle worker's freed
      // pages go back too, and workflow activations do not pay for the purge.
      return { LD_PRELOAD: library, MALLOC_CONF: JEMALLOC_CONF };
    }
  }
}
