import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { QUEUES } from './job-catalogue';
import { JobQueue } from './job-queue';
import { redisConnection } from './redis-connection';

@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        prefix: config.queuePrefix,
        // Producers fail fast while Redis is down instead of queueing commands in memory.
        connection: redisConnection(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 }),
      }),
    }),
    BullModule.registerQueue(...QUEUES.map((name) => ({ name }))),
  ],
  providers: [JobQueue],
  exports: [JobQueue],
})
export class JobsModule {}
