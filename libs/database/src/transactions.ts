import { Injectable, Logger } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Metrics } from '@lib/observability';

/** Work that must only happen once the change that asked for it is durable: an enqueue, a storage call. */
export type AfterCommit = () => Promise<unknown>;

const HOOKS = Symbol('after-commit hooks');

/**
 * The one way the service opens a transaction. Repositories join the ambient one (through
 * `Sql`), so a use case composed of several services commits or rolls back as one, and no public
 * method takes an `EntityManager`. Side effects requested inside — queueing a job, deleting an
 * object — are registered with `afterCommit` and run only after the outermost transaction commits;
 * on a rollback they are dropped with it. Lock order inside a transaction: the rows the use case
 * changes first (in id order), advisory locks that guard a whole class of rows next, the audit
 * trail last (docs/transactions.md).
 */
@Injectable()
export class Transactions {
  private readonly logger = new Logger(Transactions.name);

  constructor(
    private readonly host: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly cls: ClsService,
    private readonly metrics: Metrics,
  ) {}

  /** Runs `work` in a transaction, or inside the caller's when there is one (then the caller commits). */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.host.isTransactionActive()) return work();
    const hooks: AfterCommit[] = [];
    const result = await this.host.withTransaction(async () => {
      this.cls.set(HOOKS, hooks);
      return work();
    });
    await this.runHooks(hooks);
    return result;
  }

  /** True inside `run`. */
  get active(): boolean {
    return this.host.isTransactionActive();
  }

  /**
   * Runs `effect` after the ambient transaction commits, or now when there is none. A failing
   * effect is logged and counted, never thrown at a caller whose change is already committed:
   * every effect registered here has a reconciler (the inbox relay, the retention sweep, the
   * object reconciler) that finds what it left undone.
   */
  async afterCommit(effect: AfterCommit): Promise<void> {
    if (this.host.isTransactionActive()) {
      const hooks = this.cls.get<AfterCommit[] | undefined>(HOOKS);
      if (!hooks) throw new Error('after-commit effect requested in a transaction not opened by Transactions.run');
      hooks.push(effect);
      return;
    }
    await this.runHooks([effect]);
  }

  private async runHooks(hooks: AfterCommit[]): Promise<void> {
    for (const hook of hooks) {
      try {
        await hook();
      } catch (error) {
        this.metrics.afterCommitFailures.inc();
        this.logger.warn(`an after-commit effect failed (${(error as Error).name}: ${(error as Error).message}); its reconciler will retry`);
      }
    }
  }
}
