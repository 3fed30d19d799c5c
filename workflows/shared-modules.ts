/**
 * The modules every workflow of a worker shares instead of evaluating them for itself: the SDK preloads this module
 * (worker/workflow-preload-modules.ts) once per worker, before any workflow exists, and everything it loads lands in
 * the reusable V8 context's shared module cache, deep-frozen. Each module a cached show evaluates itself costs it
 * heap for as long as it is cached — its functions, constants, schemas and export getters. Sharing the modules
 * listed here took a minimal workflow in Showrunner's bundle from 179 to 123 KB and a cached show from 222 to 161 KB
 * (issue 15; `npx tsx --expose-gc bench/floor/bundle-cost.ts`, the scale bench).
 *
 * What may be listed: modules with no per-workflow state, that nobody writes to after loading, and that load
 * nothing the SDK evaluates per workflow — above all not `@temporalio/workflow`'s index (its logger, sinks and
 * metrics are per workflow), which is why the show's message definitions (contracts/show-messages.ts,
 * contracts/monitor-messages.ts) stay out and the IVS events a show acts on live in a module of their own. zod
 * schemas are readied for the freeze (contracts/zod-warm-up.ts), except those with a string-format check, which
 * writes to its pattern on every parse (contracts/show-message-args.ts stays out for that).
 * test/worker/workflow-bundle-options.test.ts fails if a workflow evaluates a contract module itself or if the
 * preload shares the SDK's index; the workflow tests run every workflow on the frozen modules.
 */
import * as arn from '../contracts/arn';
import * as audience from '../contracts/audience';
import * as composition from '../contracts/composition';
import * as errors from '../contracts/errors';
import * as failureTypes from '../contracts/failure-types';
import * as ids from '../contracts/ids';
import * as issues from '../contracts/issues';
import * as ivsTiming from '../contracts/ivs-timing';
import * as janitor from '../contracts/janitor';
import * as monitorPacing from '../contracts/monitor-pacing';
import * as participants from '../contracts/participants';
import * as recordings from '../contracts/recordings';
import * as searchAttributes from '../contracts/search-attributes';
import * as showIvsEvents from '../contracts/show-ivs-events';
import * as showResources from '../contracts/show-resources';
import * as showRules from '../contracts/show-rules';
import * as showSpecCheck from '../contracts/show-spec-check';
import * as showStatus from '../contracts/show-status';
import * as tags from '../contracts/tags';
import * as workflowTracing from '../contracts/workflow-tracing';
import { warmZodSchemas } from '../contracts/zod-warm-up';
import * as encoderPresets from '../show-spec/encoder-presets';
import * as figuresMarkdown from '../timeline/figures-markdown';
import * as showFigures from '../timeline/show-figures';
import * as showTimeline from '../timeline/show-timeline';
import * as stateEvents from '../timeline/state-events';
import * as monitorDecisions from './monitor-decisions';
import * as audienceSigner from './show/audience-signer';
import * as countOf from './show/count-of';
import * as decisions from './show/decisions';
import * as details from './show/details';
import * as messageRules from './show/message-rules';
import * as plan from './show/plan';
import * as reports from './show/reports';
import * as state from './show/state';
import * as tokens from './show/tokens';

export const SHARED_MODULES: readonly object[] = [
  arn,
  audience,
  composition,
  errors,
  failureTypes,
  ids,
  issues,
  ivsTiming,
  janitor,
  monitorPacing,
  participants,
  recordings,
  searchAttributes,
  showIvsEvents,
  showResources,
  showRules,
  showSpecCheck,
  showStatus,
  tags,
  workflowTracing,
  encoderPresets,
  figuresMarkdown,
  showFigures,
  showTimeline,
  stateEvents,
  monitorDecisions,
  audienceSigner,
  countOf,
  decisions,
  details,
  messageRules,
  plan,
  reports,
  state,
  tokens,
];

/** How many schemas were readied for the freeze (the update arguments', the viewer token request's). */
export const WARMED_SCHEMAS = warmZodSchemas(SHARED_MODULES.flatMap((m): unknown[] => Object.values(m)));
