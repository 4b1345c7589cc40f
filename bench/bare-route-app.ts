// The webhook benchmark's baseline: the same stack as the service (Nest 11 + FastifyAdapter, the
// same body limit) with one route that does nothing. Started as its own child process by
// bench/webhook-ack.ts: `PORT=… node dist/bench/bare-route-app.js`.
import 'reflect-metadata';
import { Controller, Get, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';

@Controller()
class BareController {
  @Post('/bare')
  @HttpCode(200)
  bare(): { ok: boolean } {
    return { ok: true };
  }

  @Get('/health')
  health(): { status: string } {
    return { status: 'ok' };
  }
}

@Module({ controllers: [BareController] })
class BareModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(BareModule, new FastifyAdapter({ bodyLimit: 2 * 1024 * 1024 }), {
    logger: ['error', 'warn'],
  });
  app.enableShutdownHooks();
  await app.listen({ port: Number(process.env.PORT ?? 0), host: process.env.HOST ?? '127.0.0.1' });
}

main().catch((error: Error) => {
  process.stderr.write(`bare-route-app: ${error.message}\n`);
  process.exit(1);
});
