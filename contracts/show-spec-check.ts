import { ACCOUNT_ID_PATTERN, ivsArnPattern, ivsArnShape, REGION_PATTERN, type IvsResourceType } from './arn';
import { SHOW_ID_MAX_LENGTH, SHOW_ID_PATTERN } from './ids';
import { ATTRIBUTES, attributesFit, CAPABILITIES, TOKEN_MINUTES, USER_ID_MAX_LENGTH } from './participants';
import { SHOW_MAX_MS } from './show-rules';
import { RESERVED_TAG_PREFIXES } from './tags';

/**
 * The show workflow's own check of the spec it was started with (issue 11 item 6). The CLI and startShow parse a
 * spec with the zod schema (show-spec/), but a client that starts `showWorkflow` directly bypasses it; whatever
 * reaches an activity — the account the worker assumes a role in, the region, bucket names, ARNs, times — is checked
 * again here, in plain code, so that the schema and zod stay out of the workflow bundle. A parsed spec (defaults
 * filled: durations in ms) always passes; anything else names the field and the rule, like the schema would.
 */
export interface SpecProblem {
  path: string;
  rule: string;
}

/** The ApplicationFailure type of a show started with a spec that fails this check. */
export const INVALID_SHOW_SPEC = 'InvalidShowSpec';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** S3 bucket naming rules (general purpose buckets) that a spec can break. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IP_ADDRESS = /^\d{1,3}(?:\.\d{1,3}){3}$/;
/** ISO 8601 date-time with a time zone, as the schema's `z.iso.datetime({ offset: true })`. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;

export function bucketNameProblem(name: string): string | undefined {
  if (!BUCKET_NAME.test(name))
    return 'must be an S3 bucket name (3-63 lowercase letters, digits, dots, hyphens; a letter or digit at each end)';
  if (name.includes('..')) return 'an S3 bucket name may not contain two adjacent dots';
  if (IP_ADDRESS.test(name)) return 'an S3 bucket name may not look like an IP address';
  return undefined;
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Own properties only: `__proto__` or `constructor` in a spec must never read Object.prototype's. */
const own = (o: Obj, key: string): unknown => (Object.hasOwn(o, key) ? o[key] : undefined);

/** Collects problems under a path; each check says what the field must be. */
class Checker {
  readonly problems: SpecProblem[] = [];

  problem(path: string, rule: string): void {
    this.problems.push({ path, rule });
  }

  object(o: Obj, path: string, key: string, required = false): Obj | undefined {
    const v = own(o, key);
    if (v === undefined) {
      if (required) this.problem(`${path}${key}`, 'is required');
      return undefined;
    }
    if (!isObject(v)) this.problem(`${path}${key}`, 'must be an object');
    return isObject(v) ? v : undefined;
  }

  string(o: Obj, path: string, key: string, rule?: (s: string) => string | undefined, required = false) {
    const v = own(o, key);
    if (v === undefined) {
      if (required) this.problem(`${path}${key}`, 'is required');
      return undefined;
    }
    if (typeof v !== 'string') {
      this.problem(`${path}${key}`, 'must be a string');
      return undefined;
    }
    const broken = rule?.(v);
    if (broken) this.problem(`${path}${key}`, broken);
    return broken ? undefined : v;
  }

  number(o: Obj, path: string, key: string, range: { min: number; max: number; int?: boolean }, required = true) {
    const v = own(o, key);
    if (v === undefined) {
      if (required) this.problem(`${path}${key}`, 'is required');
      return undefined;
    }
    const { min, max } = range;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (range.int && !Number.isInteger(v))) {
      this.problem(`${path}${key}`, `must be a${range.int ? 'n integer' : ' number'} from ${min} to ${max}`);
      return undefined;
    }
    return v;
  }

  boolean(o: Obj, path: string, key: string, required = true): void {
    const v = own(o, key);
    if (v === undefined ? required : typeof v !== 'boolean') this.problem(`${path}${key}`, 'must be true or false');
  }

  oneOf(o: Obj, path: string, key: string, values: readonly string[], required = true): void {
    const v = own(o, key);
    if (v === undefined && !required) return;
    if (typeof v !== 'string' || !values.includes(v))
      this.problem(`${path}${key}`, `must be one of ${values.join(', ')}`);
  }

  arn(o: Obj, path: string, key: string, type: IvsResourceType, required = false): void {
    this.string(
      o,
      path,
      key,
      (s) => (ivsArnPattern(type).test(s) ? undefined : `must be an IVS ${type} ARN (${ivsArnShape(type)})`),
      required,
    );
  }

  stringRecord(o: Obj, path: string, key: string, keyRule: (k: string) => string | undefined): Obj | undefined {
    const record = this.object(o, path, key);
    if (!record) return undefined;
    for (const [k, v] of Object.entries(record)) {
      const broken = keyRule(k);
      if (broken) this.problem(`${path}${key}.${k}`, broken);
      if (typeof v !== 'string') this.problem(`${path}${key}.${k}`, 'must be a string');
    }
    return record;
  }

  /** Exactly one of a storage configuration ARN or a bucket. */
  storage(o: Obj, path: string): void {
    const hasArn = own(o, 'storageConfigurationArn') !== undefined;
    const hasBucket = own(o, 'bucket') !== undefined;
    if (hasArn === hasBucket) this.problem(`${path}bucket`, 'give exactly one of storageConfigurationArn or bucket');
    this.arn(o, path, 'storageConfigurationArn', 'storage-configuration');
    this.string(o, path, 'bucket', bucketNameProblem);
  }

  hlsAndThumbnails(o: Obj, path: string): void {
    this.number(o, path, 'hlsSegmentSeconds', { min: 2, max: 10, int: true });
    const thumbnails = this.object(o, path, 'thumbnails');
    if (thumbnails) {
      this.number(thumbnails, `${path}thumbnails.`, 'intervalSeconds', { min: 1, max: 86_400, int: true });
      this.enumList(thumbnails, `${path}thumbnails.`, 'storage', ['SEQUENTIAL', 'LATEST']);
    }
  }

  enumList(o: Obj, path: string, key: string, values: readonly string[]): void {
    const v = own(o, key);
    if (!Array.isArray(v) || v.length === 0 || v.length > values.length || v.some((x) => !values.includes(x as string)))
      this.problem(`${path}${key}`, `must list 1-${values.length} of ${values.join(', ')}`);
  }
}

const tagKeyProblem = (k: string) =>
  k.length < 1 || k.length > 128
    ? 'a tag key has 1-128 characters'
    : RESERVED_TAG_PREFIXES.some((prefix) => k.toLowerCase().startsWith(prefix))
      ? `tag keys starting with ${RESERVED_TAG_PREFIXES.join(' or ')} are reserved`
      : undefined;

/**
 * Every problem of a show spec as the workflow receives it (the schema's output), or none. `encoderPresets` are
 * the preset names the workflow knows (show-spec/encoder-presets.ts, which contracts/ may not import).
 */
export function showSpecProblems(spec: unknown, encoderPresets: readonly string[]): SpecProblem[] {
  const c = new Checker();
  if (!isObject(spec)) {
    c.problem('spec', 'must be an object');
    return c.problems;
  }
  c.string(
    spec,
    '',
    'id',
    (s) =>
      s.length <= SHOW_ID_MAX_LENGTH && SHOW_ID_PATTERN.test(s)
        ? undefined
        : `must be a slug of at most ${SHOW_ID_MAX_LENGTH} characters: lowercase letters, digits and inner hyphens`,
    true,
  );
  c.string(
    spec,
    '',
    'name',
    (s) => (/^[a-zA-Z0-9-_ ]{1,128}$/.test(s) ? undefined : 'must be 1-128 letters, digits, spaces, - and _'),
    true,
  );
  c.string(spec, '', 'region', (s) => (REGION_PATTERN.test(s) ? undefined : 'must be an AWS region such as us-east-1'));
  c.string(spec, '', 'account', (s) => (ACCOUNT_ID_PATTERN.test(s) ? undefined : 'must be a 12-digit AWS account ID'));
  const tags = c.stringRecord(spec, '', 'tags', tagKeyProblem);
  if (tags && Object.keys(tags).length > 40) c.problem('tags', 'at most 40 tags');

  const schedule = c.object(spec, '', 'schedule', true);
  if (schedule) {
    const time = (s: string) =>
      DATE_TIME.test(s) && !Number.isNaN(Date.parse(s)) ? undefined : 'must be an ISO 8601 date-time with a time zone';
    const start = c.string(schedule, 'schedule.', 'start', time);
    const end = c.string(schedule, 'schedule.', 'end', time);
    const duration = c.number(schedule, 'schedule.', 'duration', { min: MINUTE, max: SHOW_MAX_MS }, false);
    c.number(schedule, 'schedule.', 'leadTime', { min: 0, max: 24 * HOUR });
    if ((own(schedule, 'end') === undefined) === (own(schedule, 'duration') === undefined))
      c.problem('schedule.end', 'give exactly one of end or duration');
    if (start && end) {
      const length = Date.parse(end) - Date.parse(start);
      if (length <= 0) c.problem('schedule.end', 'end must be after start');
      else if (length > SHOW_MAX_MS) c.problem('schedule.end', 'a show lasts at most 24 hours');
    }
    void duration;
  }

  const participants = own(spec, 'participants');
  if (!Array.isArray(participants) || participants.length > 12)
    c.problem('participants', 'must be a list of at most 12 participants');
  else {
    const seen = new Set<string>();
    participants.forEach((p: unknown, i) => {
      const path = `participants.${i}.`;
      if (!isObject(p)) return c.problem(`participants.${i}`, 'must be an object');
      const userId = c.string(
        p,
        path,
        'userId',
        (s) =>
          s.length >= 1 && s.length <= USER_ID_MAX_LENGTH ? undefined : `must have 1-${USER_ID_MAX_LENGTH} characters`,
        true,
      );
      if (userId !== undefined && seen.has(userId)) c.problem(`${path}userId`, 'userIds must be unique');
      if (userId !== undefined) seen.add(userId);
      c.oneOf(p, path, 'role', ['host', 'guest']);
      const attributes = c.stringRecord(p, path, 'attributes', (k) =>
        k.length >= 1 && k.length <= ATTRIBUTES.keyMaxLength
          ? undefined
          : `an attribute key has 1-${ATTRIBUTES.keyMaxLength} characters`,
      );
      if (attributes && !attributesFit(attributes as Record<string, string>))
        c.problem(`${path}attributes`, ATTRIBUTES.tooLarge);
      c.enumList(p, path, 'capabilities', CAPABILITIES);
      const tokenDuration = c.number(p, path, 'tokenDuration', {
        min: TOKEN_MINUTES.min * MINUTE,
        max: TOKEN_MINUTES.max * MINUTE,
      });
      if (tokenDuration !== undefined && tokenDuration % MINUTE !== 0)
        c.problem(`${path}tokenDuration`, 'must be a whole number of minutes');
    });
  }

  const ingest = c.object(spec, '', 'ingest');
  if (ingest) {
    c.boolean(ingest, 'ingest.', 'enabled');
    c.oneOf(ingest, 'ingest.', 'protocol', ['RTMPS', 'RTMP']);
    if (own(ingest, 'protocol') === 'RTMP' && own(ingest, 'allowInsecure') !== true)
      c.problem('ingest.protocol', 'RTMP ingest is unencrypted: set allowInsecure: true to use it, or use RTMPS');
    c.string(ingest, 'ingest.', 'userId', (s) =>
      s.length <= USER_ID_MAX_LENGTH ? undefined : `must have at most ${USER_ID_MAX_LENGTH} characters`,
    );
    c.string(ingest, 'ingest.', 'name', (s) =>
      /^[a-zA-Z0-9-_]{0,128}$/.test(s) ? undefined : 'must be at most 128 letters, digits, - and _',
    );
    c.stringRecord(ingest, 'ingest.', 'attributes', () => undefined);
  }

  const composition = c.object(spec, '', 'composition');
  if (composition) {
    const path = 'composition.';
    c.boolean(composition, path, 'enabled');
    c.arn(composition, path, 'channelArn', 'channel');
    const layout = c.object(composition, path, 'layout', true);
    if (layout) c.oneOf(layout, `${path}layout.`, 'type', ['grid', 'pip']);
    const encoder = c.object(composition, path, 'encoder', true);
    if (encoder) {
      if (own(encoder, 'arn') !== undefined) c.arn(encoder, `${path}encoder.`, 'arn', 'encoder-configuration');
      else c.oneOf(encoder, `${path}encoder.`, 'preset', encoderPresets);
    }
    const recording = c.object(composition, path, 'recording');
    if (recording) {
      c.storage(recording, `${path}recording.`);
      c.hlsAndThumbnails(recording, `${path}recording.`);
    }
    if (own(composition, 'enabled') === true && own(composition, 'channelArn') === undefined && !recording)
      c.problem(`${path}channelArn`, 'an enabled composition needs a channelArn, a recording destination, or both');
  }

  const individual = c.object(spec, '', 'individualRecording');
  if (individual) {
    const path = 'individualRecording.';
    c.boolean(individual, path, 'enabled');
    const storage = c.object(individual, path, 'storage', true);
    if (storage) c.storage(storage, `${path}storage.`);
    c.oneOf(individual, path, 'mediaType', ['AUDIO_VIDEO', 'AUDIO_ONLY', 'NONE']);
    c.hlsAndThumbnails(individual, path);
    c.number(individual, path, 'reconnectWindowSeconds', { min: 0, max: 300, int: true });
  }

  const policies = c.object(spec, '', 'policies', true);
  if (policies) {
    const path = 'policies.';
    c.oneOf(policies, path, 'startComposition', ['on-first-publisher', 'immediately']);
    c.number(policies, path, 'publisherWaitTimeout', { min: 10_000, max: 24 * HOUR });
    c.number(policies, path, 'pollInterval', { min: 1_000, max: 10 * MINUTE });
    c.number(policies, path, 'reconnectingTolerance', { min: 0, max: HOUR });
    c.number(policies, path, 'maxCompositionRestarts', { min: 0, max: 50, int: true });
    c.number(policies, path, 'recordingsSettleTimeout', { min: 0, max: HOUR });
    const backoff = c.object(policies, path, 'restartBackoff', true);
    if (backoff) {
      c.number(backoff, `${path}restartBackoff.`, 'initial', { min: 0, max: HOUR });
      c.number(backoff, `${path}restartBackoff.`, 'multiplier', { min: 1, max: 10 });
      c.number(backoff, `${path}restartBackoff.`, 'max', { min: 0, max: HOUR });
    }
    const keep = c.object(policies, path, 'keep', true);
    if (keep) for (const k of ['stage', 'ingestConfiguration', 'recordingsIndex']) c.boolean(keep, `${path}keep.`, k);
  }
  return c.problems;
}

/** One line for a failure message: every problem as `path: rule`. */
export const specProblemsText = (problems: readonly SpecProblem[]) =>
  problems.map((p) => `${p.path}: ${p.rule}`).join('; ');
