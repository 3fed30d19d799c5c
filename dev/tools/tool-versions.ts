import toolVersions from '../../scripts/tool-versions.json';

/** The Go-built tools; `node-lines` (other Node.js runtimes, dev/tools/ensure-node-line.ts) is pinned beside them. */
export type ToolName = Exclude<keyof typeof toolVersions, 'node-lines'>;

export interface ToolSpec {
  name: ToolName;
  version: string;
  goModule: string;
  /** Already expanded: `{version}` in tool-versions.json is replaced so a bump is a one-line edit. */
  ldflags?: string;
  binary: string;
  /**
   * A Go toolchain newer than the installed one that the module needs (its go.mod's `go` line). Only this build runs
   * with GOTOOLCHAIN set to it, which makes the go command fetch that toolchain from the module proxy once.
   */
  goToolchain?: string;
  /** What it is, for the first-run message. */
  what: string;
  /** Roughly how long the first `go install` takes on two cores, for the first-run message. */
  buildMinutes: number;
}

export function toolSpec(name: ToolName): ToolSpec {
  const raw: {
    version: string;
    goModule: string;
    binary: string;
    ldflags?: string;
    goToolchain?: string;
    what: string;
    buildMinutes: number;
  } = toolVersions[name];
  return {
    name,
    version: raw.version,
    goModule: raw.goModule,
    binary: raw.binary,
    what: raw.what,
    buildMinutes: raw.buildMinutes,
    ...(raw.ldflags === undefined ? {} : { ldflags: raw.ldflags.replaceAll('{version}', raw.version) }),
    ...(raw.goToolchain === undefined ? {} : { goToolchain: raw.goToolchain }),
  };
}
