/**
 * Which role ARNs AssumeRole grants. The emulator has no trust policies, so by default every well-formed role
 * ARN is assumable; a list of ARNs (where `*` matches any run of characters) narrows that, to test a caller's
 * handling of AccessDenied.
 */
export class AssumableRoles {
  private readonly patterns: RegExp[] | undefined;

  constructor(arns: readonly string[] | undefined) {
    this.patterns = arns?.map(
      (arn) =>
        new RegExp(
          `^${arn
            .split('*')
            .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
            .join('.*')}$`,
        ),
    );
  }

  allows(roleArn: string): boolean {
    return this.patterns === undefined || this.patterns.some((p) => p.test(roleArn));
  }
}
