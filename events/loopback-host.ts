/** Whether a listen address is reachable from this machine only: the one case an unauthenticated endpoint is allowed. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host) || /^::ffff:127\./.test(host);
}
