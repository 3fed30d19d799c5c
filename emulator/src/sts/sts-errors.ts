import { ApiError } from '../errors/api-error';

/**
 * STS errors travel as awsQuery error documents whose `Code` is the error's name. ApiError carries them: `type`
 * is the Code. The shared front-door checks (SigV4, body size) raise restJson1 names, which STS spells
 * differently; these are STS's own codes for the same refusals.
 */
const STS_CODES: Readonly<Record<string, string>> = {
  MissingAuthenticationTokenException: 'MissingAuthenticationToken',
  IncompleteSignatureException: 'IncompleteSignature',
  InvalidSignatureException: 'SignatureDoesNotMatch',
  UnrecognizedClientException: 'InvalidClientTokenId',
  ExpiredTokenException: 'ExpiredToken',
  InternalServerException: 'InternalFailure',
  RequestEntityTooLargeException: 'RequestEntityTooLarge',
};

const MESSAGES: Readonly<Record<string, string>> = {
  MissingAuthenticationToken: 'Request is missing Authentication Token',
};

export function toStsError(error: ApiError): ApiError {
  const code = STS_CODES[error.type];
  return code ? new ApiError(code, error.status, MESSAGES[code] ?? error.message) : error;
}

export const stsValidationError = (message: string) => new ApiError('ValidationError', 400, message);
export const stsAccessDenied = (message: string) => new ApiError('AccessDenied', 403, message);
export const missingAction = () => new ApiError('MissingAction', 400, 'Missing Action');
export const invalidAction = (action: string, version: string, detail = '') =>
  new ApiError('InvalidAction', 400, `Could not find operation ${action} for version ${version}${detail}`);
