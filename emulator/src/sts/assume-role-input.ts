import { formatViolations, type Violation } from '../model/validate-input';
import { parseRoleArn, type RoleRef } from './role-arn';
import { stsValidationError } from './sts-errors';

export interface AssumeRoleInput {
  role: RoleRef;
  sessionName: string;
  durationSeconds: number;
  externalId?: string;
}

export const DEFAULT_DURATION_SECONDS = 3600;

interface StringRule {
  min: number;
  max: number;
  pattern: string;
}

// From the STS model (botocore sts 2011-06-15): arnType, roleSessionNameType, externalIdType, roleDurationSecondsType.
const ARN_TYPE: StringRule = {
  min: 20,
  max: 2048,
  pattern: '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u{10000}-\\u{10FFFF}]+',
};
const ROLE_SESSION_NAME: StringRule = { min: 2, max: 64, pattern: '[\\w+=,.@-]*' };
const EXTERNAL_ID: StringRule = { min: 2, max: 1224, pattern: '[\\w+=,.@:\\/-]*' };
const DURATION = { min: 900, max: 43_200 };

// STS words its messages with the model's member names in lower camel case ('roleSessionName'), and echoes the
// pattern as the model writes it (with \u10000 for the astral range).
const displayPattern = (pattern: string) => pattern.replace(/\\u\{(1?[0-9A-F]{4,5})\}/g, '\\u$1');

function describe(value: string): string {
  return `'${value.length > 64 ? `${value.slice(0, 61)}...` : value}'`;
}

function checkString(member: string, value: string, rule: StringRule, out: Violation[]): void {
  const fail = (constraint: string) =>
    out.push({
      path: member,
      message: `Value ${describe(value)} at '${member}' failed to satisfy constraint: ${constraint}`,
    });
  if (!new RegExp(`^(?:${rule.pattern})$`, 'u').test(value))
    fail(`Member must satisfy regular expression pattern: ${displayPattern(rule.pattern)}`);
  const length = [...value].length;
  if (length < rule.min) fail(`Member must have length greater than or equal to ${rule.min}`);
  if (length > rule.max) fail(`Member must have length less than or equal to ${rule.max}`);
}

function required(member: string, value: string | null, out: Violation[]): value is string {
  if (value !== null) return true;
  out.push({
    path: member,
    message: `Value null at '${member}' failed to satisfy constraint: Member must not be null`,
  });
  return false;
}

/**
 * Reads AssumeRole's form parameters and validates them as STS does: every model constraint violated is listed
 * in one ValidationError; only then is the role ARN's form checked (AWS answers "<arn> is invalid"). Session
 * policies, tags, MFA and source identity are accepted and ignored.
 */
export function parseAssumeRoleInput(params: URLSearchParams): AssumeRoleInput {
  const violations: Violation[] = [];
  const roleArn = params.get('RoleArn');
  const sessionName = params.get('RoleSessionName');
  const durationText = params.get('DurationSeconds');
  const externalId = params.get('ExternalId');

  if (required('roleArn', roleArn, violations)) checkString('roleArn', roleArn, ARN_TYPE, violations);
  if (required('roleSessionName', sessionName, violations))
    checkString('roleSessionName', sessionName, ROLE_SESSION_NAME, violations);
  let durationSeconds = DEFAULT_DURATION_SECONDS;
  if (durationText !== null) {
    const fail = (constraint: string) =>
      violations.push({
        path: 'durationSeconds',
        message: `Value ${describe(durationText)} at 'durationSeconds' failed to satisfy constraint: ${constraint}`,
      });
    if (!/^-?[0-9]{1,10}$/.test(durationText)) fail('Member must be an integer');
    else {
      durationSeconds = Number(durationText);
      if (durationSeconds < DURATION.min) fail(`Member must have value greater than or equal to ${DURATION.min}`);
      if (durationSeconds > DURATION.max) fail(`Member must have value less than or equal to ${DURATION.max}`);
    }
  }
  if (externalId !== null) checkString('externalId', externalId, EXTERNAL_ID, violations);
  if (violations.length > 0) throw stsValidationError(formatViolations(violations));

  const role = parseRoleArn(roleArn!);
  if (!role) {
    throw stsValidationError(
      `${roleArn} is invalid: roleArn must be an IAM role ARN, arn:aws:iam::<12-digit account ID>:role/<path/><name>`,
    );
  }
  return { role, sessionName: sessionName!, durationSeconds, externalId: externalId ?? undefined };
}
