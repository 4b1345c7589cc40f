import { Global, Module } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { ClsModule } from 'nestjs-cls';
import { ClsPluginTransactional } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { ObservabilityModule } from '@lib/observability';
import { dataSourceOptions } from './data-source';
import { ENTITIES } from './entities';
import { SingleRunner } from './single-runner';
import { Sql } from './sql';
import { Transactions } from './transactions';

const typeOrm = TypeOrmModule.forRootAsync({
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) => ({ ...dataSourceOptions(config.databaseUrl), retryAttempts: 3, retryDelay: 1000 }),
});

/** PostgreSQL, the ambient transaction (`Transactions`) and the statement runner repositories use (`Sql`). */
@Global()
@Module({
  imports: [
    ObservabilityModule,
    typeOrm,
    TypeOrmModule.forFeature(ENTITIES),
    // Plugins only, no `forRoot`: a transaction opens its own CLS context (`withTransaction`), so no
    // request needs one, and `forRoot` would put a no-op interceptor and guard on every route
    // (the interceptor alone was ~5% of the webhook's CPU).
    ClsModule.registerPlugins([
      // TypeORM's core module is global: the plugin finds the DataSource without importing it again.
      new ClsPluginTransactional({
        adapter: new TransactionalAdapterTypeOrm({ dataSourceToken: getDataSourceToken() }),
      }),
    ]),
  ],
  providers: [Sql, Transactions, SingleRunner],
  exports: [TypeOrmModule, ClsModule, Sql, Transactions, SingleRunner],
})
export class DatabaseModule {}
