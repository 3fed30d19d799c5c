import { en } from 'zod/locales';
import { z } from 'zod/mini';

/**
 * zod (its tree-shakable build, zod/mini) with English messages, so a rejected update reads exactly as the same
 * mistake in a show spec. Contracts that build schemas import this module instead of configuring zod themselves.
 *
 * The workflow bundle preloads it (worker/workflow-bundle-options.ts): the SDK evaluates it, and zod with it, once
 * per worker before any workflow exists, so every cached workflow shares zod's ~0.5 MB of module state instead of
 * evaluating zod for itself. Shared modules are deep-frozen after the preload, zod's global config with them, so it
 * is set here, before the freeze, and only if nobody has: a second `z.config()` would throw on the frozen object.
 * The contracts' schemas are shared too (workflows/shared-modules.ts), readied for the freeze first: zod memoizes
 * lazily derived fields on each schema at first use, which a frozen schema would refuse (contracts/zod-warm-up.ts).
 * zod/mini keeps no other state in what its modules export (test/contracts/preloaded-zod.test.ts checks the update
 * validators against frozen zod modules and schemas).
 */
if (z.config().localeError === undefined) z.config(en());

/**
 * The preload evaluates only what this module uses: with `z.config` alone, the bundler would link that one function
 * and leave zod's schema modules to every workflow again. One export of each zod module the contracts use (schemas,
 * checks, ISO formats) brings that whole module into the preload; `Object.keys(z)` would too, but also every locale
 * and the JSON Schema generator. test/worker/workflow-bundle-options.test.ts fails if a workflow evaluates any zod
 * module itself.
 */
export const PRELOADED_ZOD = [z.strictObject, z.maxLength, z.iso.datetime] as const;
