import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';

/**
 * The worker's periodic tasks, on Nest's scheduler registry (tests and operators see them by name).
 * Within one process a run never overlaps the previous one; a failing run is logged (its error's
 * class and message, which carry ids only) and the next tick tries again.
 */
@Injectable()
export class PeriodicTasks implements OnApplicationShutdown {
  private readonly logger = new Logger(PeriodicTasks.name);
  private readonly running = new Set<string>();
  private readonly names = new Set<string>();

  constructor(private readonly registry: SchedulerRegistry) {}

  every(name: string, ms: number, task: () => Promise<unknown>): void {
    const tick = async () => {
      if (this.running.has(name)) return;
      this.running.add(name);
      try {
        await task();
      } catch (error) {
        this.logger.warn(`${name} failed: ${(error as Error).message}`);
      } finally {
        this.running.delete(name);
      }
    };
    const handle = setInterval(() => void tick(), ms);
    handle.unref();
    this.registry.addInterval(name, handle);
    this.names.add(name);
  }

  onApplicationShutdown(): void {
    for (const name of this.names) {
      if (this.registry.doesExist('interval', name)) this.registry.deleteInterval(name);
    }
  }
}
