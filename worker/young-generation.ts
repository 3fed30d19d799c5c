/**
 * The V8 young generation a worker runs with: `--max-semi-space-size`, in MB, for the main thread and the SDK's
 * workflow threads (a Node.js flag, so it reaches every isolate of the process).
 *
 * Why (issue 15): V8 sizes the young generation from the heap limit, which it derives from the machine's memory, so
 * on a large host Node.js 24 lets each isolate's semi-spaces grow to 64 MB (a young generation of 128 MB; Node 20's
 * was 16 MB semi-spaces). A worker has four isolates (the main thread, the workflow threads of its show and monitor
 * Workers, and a small one), and under load each keeps its semi-spaces committed: RSS that holds no live object.
 * Capped at 8 MB, 1,000 cached shows took 793 MB peak and 712 MB steady RSS against 1,064 and 895 MB uncapped in
 * back-to-back runs (`npm run bench -- --only scale --scale-1000`, bench/on-paper.md), with burst latencies within the
 * spread between runs. Scavenges run more often; each costs what survives it, and a show's short-lived garbage does not.
 */
const SEMI_SPACE_MB = 8;

/** The flags that set it: on the command line (Dockerfile's CMD) or in NODE_OPTIONS, which accepts them. */
export const YOUNG_GENERATION_FLAGS: readonly string[] = [`--max-semi-space-size=${SEMI_SPACE_MB}`];
