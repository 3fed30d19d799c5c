/** Whether an address or host name is this machine's loopback: the one case an unauthenticated endpoint is allowed. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host) || /^::ffff:127\./.test(host);
}
