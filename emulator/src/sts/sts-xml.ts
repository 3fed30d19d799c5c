import type { ServerResponse } from 'node:http';
import type { ApiError } from '../errors/api-error';

export const STS_XML_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** An element's content: text, or child elements in order. `undefined` members are left out. */
export type XmlContent = string | { readonly [element: string]: XmlContent | undefined };

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

// Characters XML 1.0 cannot carry even escaped. Messages echo request values, which may hold them.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Element text only (attributes are fixed), so quotes need no escaping. */
function escapeXml(text: string): string {
  return text.replace(NOT_XML_CHAR, '\uFFFD').replace(/[&<>]/g, (c) => ESCAPES[c]!);
}

function element(name: string, content: XmlContent, attributes = ''): string {
  if (typeof content === 'string') return `<${name}${attributes}>${escapeXml(content)}</${name}>`;
  let inner = '';
  for (const [child, value] of Object.entries(content)) if (value !== undefined) inner += element(child, value);
  return `<${name}${attributes}>${inner}</${name}>`;
}

/** awsQuery timestamps are ISO 8601 in UTC; STS writes them to the second. */
export const xmlTimestamp = (epochMs: number): string => new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');

function send(res: ServerResponse, status: number, xml: string, requestId: string): void {
  const payload = `<?xml version="1.0" encoding="UTF-8"?>\n${xml}`;
  res.writeHead(status, {
    'content-type': 'text/xml',
    'content-length': Buffer.byteLength(payload),
    'x-amzn-requestid': requestId,
  });
  res.end(payload);
}

/** `<{Action}Response><{Action}Result>…</…Result><ResponseMetadata><RequestId>…</RequestId></ResponseMetadata>` */
export function sendStsResult(res: ServerResponse, action: string, result: XmlContent, requestId: string): void {
  const xml = element(
    `${action}Response`,
    { [`${action}Result`]: result, ResponseMetadata: { RequestId: requestId } },
    ` xmlns="${STS_XML_NAMESPACE}"`,
  );
  send(res, 200, xml, requestId);
}

/** `<ErrorResponse><Error><Type>Sender|Receiver</Type><Code/><Message/></Error><RequestId/></ErrorResponse>` */
export function sendStsError(res: ServerResponse, error: ApiError, requestId: string): void {
  const xml = element(
    'ErrorResponse',
    {
      Error: { Type: error.status >= 500 ? 'Receiver' : 'Sender', Code: error.type, Message: error.message },
      RequestId: requestId,
    },
    ` xmlns="${STS_XML_NAMESPACE}"`,
  );
  send(res, error.status, xml, requestId);
}
