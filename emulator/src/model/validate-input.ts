import { shape, type ShapeConstraints } from './constraints';

/**
 * Validates a request against the service model the way the service's own validation layer does, and words
 * each violation like AWS does ("Value 'x' at 'name' failed to satisfy constraint: Member must ..."), so
 * code written against the emulator sees the errors it will see in production.
 *
 * Patterns are applied as full matches: the service validates with whole-value regular expressions (a stage
 * name "my stage" is refused although `[a-zA-Z0-9-_]*` occurs inside it).
 */
export interface Violation {
  path: string;
  message: string;
}

const compiledPatterns = new Map<string, RegExp>();

function fullMatch(pattern: string): RegExp {
  let re = compiledPatterns.get(pattern);
  if (!re) {
    re = new RegExp(`^(?:${pattern})$`, 'u');
    compiledPatterns.set(pattern, re);
  }
  return re;
}

/** Lengths are counted in code points, as the service does; only strings with surrogate pairs need the slow count. */
const SURROGATE = /[\uD800-\uDFFF]/;
const codePointLength = (value: string): number => (SURROGATE.test(value) ? [...value].length : value.length);

/**
 * A structure's members with their shapes already looked up, computed once per shape: validation walks them on every
 * request, and a lookup by name in the model's few hundred shapes costs more than the check of a short string.
 */
const memberEntries = new WeakMap<ShapeConstraints, [string, ShapeConstraints][]>();
function membersOf(s: ShapeConstraints): [string, ShapeConstraints][] {
  let entries = memberEntries.get(s);
  if (!entries) {
    entries = Object.entries(s.members ?? {}).map(([name, member]): [string, ShapeConstraints] => [
      name,
      shape(member.shape),
    ]);
    memberEntries.set(s, entries);
  }
  return entries;
}
const NONE: readonly string[] = [];

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  // Echo enough to identify the value without turning an error into a data dump.
  return `'${text.length > 64 ? `${text.slice(0, 61)}...` : text}'`;
}

export function validateShape(shapeName: string, value: unknown): Violation[] {
  const violations: Violation[] = [];
  check(shape(shapeName), value, '', violations);
  return violations;
}

function join(path: string, member: string): string {
  return path ? `${path}.${member}` : member;
}

/** Records a violation. A plain function, not a closure per check: validation runs on every request. */
function failAt(out: Violation[], path: string, value: unknown, rule: string): void {
  out.push({
    path: path || '(body)',
    message: `Value ${describe(value)} at '${path || '(body)'}' failed to satisfy constraint: ${rule}`,
  });
}

function check(s: ShapeConstraints, value: unknown, path: string, out: Violation[]): void {
  switch (s.type) {
    case 'structure': {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        return failAt(out, path, value, 'Member must be an object');
      const record = value as Record<string, unknown>;
      for (const required of s.required ?? NONE) {
        if (record[required] === undefined || record[required] === null) {
          out.push({
            path: join(path, required),
            message: `Value null at '${join(path, required)}' failed to satisfy constraint: Member must not be null`,
          });
        }
      }
      for (const [name, memberShape] of membersOf(s)) {
        const memberValue = record[name];
        if (memberValue === undefined || memberValue === null) continue;
        check(memberShape, memberValue, join(path, name), out);
      }
      return;
    }
    case 'list': {
      if (!Array.isArray(value)) return failAt(out, path, value, 'Member must be a list');
      if (s.min !== undefined && value.length < s.min)
        failAt(out, path, value, `Member must have length greater than or equal to ${s.min}`);
      if (s.max !== undefined && value.length > s.max)
        failAt(out, path, value, `Member must have length less than or equal to ${s.max}`);
      const memberShape = shape(s.member!);
      value.forEach((item, i) => {
        if (item === null || item === undefined) {
          out.push({
            path: `${path}.${i + 1}.member`,
            message: `Value null at '${path}.${i + 1}.member' failed to satisfy constraint: Member must not be null`,
          });
        } else check(memberShape, item, `${path}.${i + 1}.member`, out);
      });
      return;
    }
    case 'map': {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        return failAt(out, path, value, 'Member must be a map');
      const entries = Object.entries(value as Record<string, unknown>);
      if (s.min !== undefined && entries.length < s.min)
        failAt(out, path, value, `Member must have length greater than or equal to ${s.min}`);
      if (s.max !== undefined && entries.length > s.max)
        failAt(out, path, value, `Member must have length less than or equal to ${s.max}`);
      const keyShape = shape(s.key!);
      const valueShape = shape(s.value!);
      for (const [k, v] of entries) {
        check(keyShape, k, `${path}.key`, out);
        if (v === null || v === undefined) {
          out.push({
            path: `${path}.${k}`,
            message: `Value null at '${path}.${k}' failed to satisfy constraint: Map value must not be null`,
          });
        } else check(valueShape, v, `${path}.${k}`, out);
      }
      return;
    }
    case 'string': {
      if (typeof value !== 'string') return failAt(out, path, value, 'Member must be a string');
      const length = codePointLength(value);
      if (s.min !== undefined && length < s.min)
        failAt(out, path, value, `Member must have length greater than or equal to ${s.min}`);
      if (s.max !== undefined && length > s.max)
        failAt(out, path, value, `Member must have length less than or equal to ${s.max}`);
      if (s.pattern !== undefined && !fullMatch(s.pattern).test(value))
        failAt(out, path, value, `Member must satisfy regular expression pattern: ${s.pattern}`);
      if (s.enum !== undefined && !s.enum.includes(value))
        failAt(out, path, value, `Member must satisfy enum value set: [${s.enum.join(', ')}]`);
      return;
    }
    case 'integer':
    case 'long': {
      if (typeof value !== 'number' || !Number.isInteger(value))
        return failAt(out, path, value, 'Member must be an integer');
      checkRange(s, value, path, out);
      return;
    }
    case 'float':
    case 'double': {
      if (typeof value !== 'number' || !Number.isFinite(value))
        return failAt(out, path, value, 'Member must be a number');
      checkRange(s, value, path, out);
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean') failAt(out, path, value, 'Member must be a boolean');
      return;
    case 'timestamp':
      // Requests carry strings or epoch numbers; responses (self-check) carry Dates that serialize to ISO 8601.
      if (typeof value !== 'string' && typeof value !== 'number' && !(value instanceof Date))
        failAt(out, path, value, 'Member must be a timestamp');
      return;
    case 'blob':
      if (typeof value !== 'string') failAt(out, path, value, 'Member must be a base64 string');
      return;
  }
}

function checkRange(s: ShapeConstraints, value: number, path: string, out: Violation[]): void {
  if (s.min !== undefined && value < s.min)
    failAt(out, path, value, `Member must have value greater than or equal to ${s.min}`);
  if (s.max !== undefined && value > s.max)
    failAt(out, path, value, `Member must have value less than or equal to ${s.max}`);
}

/** AWS's summary line: "2 validation errors detected: <first>; <second>". */
export function formatViolations(violations: Violation[]): string {
  const count = violations.length;
  return `${count} validation error${count === 1 ? '' : 's'} detected: ${violations.map((v) => v.message).join('; ')}`;
}
