import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig, type ClientConnectConfig } from '@temporalio/envconfig';
import { createDataConverter } from '../../security/data-converter';
import { KeyRingError, loadKeyRing } from '../../security/encryption-keys';
import { unreachable, usageError } from './cli-errors';
import { Output } from './output';
import { workflowTracingFromEnv } from '../../contracts/workflow-tracing';

export interface GlobalOptions {
  json?: boolean;
  namespace?: string;
  address?: string;
  taskQueue?: string;
}

const DEFAULT_ADDRESS = 'localhost:7233';
/** Long enough for a remote cluster, short enough that a wrong address fails while the operator still waits. */
const CONNECT_TIMEOUT = '5s';

/**
 * What every command needs: where output goes, and a Temporal client built from envconfig (TEMPORAL_* and the
 * temporal.toml profile) with --address/--namespace on top and Showrunner's payload codec.
 */
export class CliContext {
  readonly out: Output;
  readonly taskQueue: string;
  readonly monitorTaskQueue?: string;
  private config?: ClientConnectConfig;
  private connection?: Connection;
  private readonly closers: (() => Promise<void> | void)[] = [];

  constructor(
    readonly options: GlobalOptions,
    readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.out = new Output(!!options.json);
    this.taskQueue = options.taskQueue ?? env.SHOWRUNNER_TASK_QUEUE ?? 'showrunner';
    this.monitorTaskQueue = env.SHOWRUNNER_MONITOR_TASK_QUEUE || undefined;
  }

  private connectConfig(): ClientConnectConfig {
    try {
      this.config ??= loadClientConnectConfig({ overrideEnvVars: this.env as Record<string, string> });
    } catch (e) {
      throw usageError(`Invalid Temporal client configuration (TEMPORAL_* or temporal.toml): ${(e as Error).message}`);
    }
    return this.config;
  }

  /** Whether the runs this CLI starts trace their workflow code (contracts/workflow-tracing.ts): SHOWRUNNER_OTEL_ENABLED. */
  get workflowTracing(): boolean {
    try {
      return workflowTracingFromEnv(this.env);
    } catch (e) {
      throw usageError((e as Error).message);
    }
  }

  /** For messages: never throws, even when the configuration is broken. */
  get address(): string {
    if (this.options.address) return this.options.address;
    try {
      return this.connectConfig().connectionOptions.address ?? DEFAULT_ADDRESS;
    } catch {
      return this.env.TEMPORAL_ADDRESS ?? DEFAULT_ADDRESS;
    }
  }

  /**
   * A connected client. Payloads (specs, statuses, tokens) are encrypted, so it carries the key ring; commands
   * that only read search attributes or act by ID may go without one (`payloads: false`).
   */
  async client(options: { payloads?: boolean } = {}): Promise<Client> {
    const config = this.connectConfig();
    let dataConverter;
    try {
      dataConverter = createDataConverter(loadKeyRing(this.env));
    } catch (e) {
      if (!(e instanceof KeyRingError) || options.payloads !== false) throw e;
    }
    if (!this.connection) {
      try {
        this.connection = await Connection.connect({
          ...config.connectionOptions,
          address: this.address,
          connectTimeout: CONNECT_TIMEOUT,
        });
      } catch {
        throw unreachable(this.address);
      }
      const connection = this.connection;
      this.onClose(() => connection.close());
    }
    const namespace = this.options.namespace ?? config.namespace ?? 'default';
    return new Client({ connection: this.connection, namespace, dataConverter });
  }

  onClose(closer: () => Promise<void> | void): void {
    this.closers.push(closer);
  }

  async close(): Promise<void> {
    for (const closer of this.closers.reverse()) await Promise.resolve(closer()).catch(() => undefined);
  }
}
