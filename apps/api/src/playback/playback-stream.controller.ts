import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PlaybackService } from '@lib/playback';
import { ApiErrors } from '../http/api-docs';
import { Public } from '../http/access.decorators';

/**
 * What an HLS player fetches (CONTRACT "Playback"): no header, no cookie; the token in the path is
 * the credential (signed, short-lived, bound to viewer and recording), so these routes are public
 * to the access guard. Every answer, refusals included, is `no-store, private`; bodies come from
 * the private bucket as streams and no bucket URL is ever answered. The per-source limit of the
 * unauthenticated edge does not apply here (edge-limits.ts): a token is checked with one HMAC.
 */
const NO_STORE = 'no-store, private';
const binary = (type: string, description: string) => ApiOkResponse({ description, content: { [type]: { schema: { type: 'string', format: 'binary' } } } });
const TOKEN = ApiParam({ name: 'token', description: 'the playback token from POST /v1/recordings/{id}/playback' });
const REFUSALS = ApiErrors([401, 403, 404], {
  401: 'the playback token is malformed, forged or expired',
  403: 'the viewer may no longer watch this recording',
  404: 'no such file of the stream',
});

@ApiTags('playback')
@Public()
@Controller('v1/playback/:token')
export class PlaybackStreamController {
  constructor(private readonly playback: PlaybackService) {}

  @Get('index.m3u8')
  @TOKEN
  @ApiOperation({ summary: 'The HLS playlist; its segment and key URIs are relative names under the same token' })
  @ApiProduces('application/vnd.apple.mpegurl')
  @ApiOkResponse({ content: { 'application/vnd.apple.mpegurl': { schema: { type: 'string', description: 'an HLS media playlist (AES-128)' } } } })
  @REFUSALS
  async playlist(@Param('token') token: string, @Res() reply: FastifyReply): Promise<void> {
    reply.header('cache-control', NO_STORE);
    const text = await this.playback.playlist(token);
    await reply.type('application/vnd.apple.mpegurl').send(text);
  }

  /** Audited (`playback.key_fetched`); access is decided again. */
  @Get('key')
  @TOKEN
  @ApiOperation({ summary: "The stream's AES-128 key (16 bytes); audited" })
  @ApiProduces('application/octet-stream')
  @binary('application/octet-stream', '16 bytes')
  @REFUSALS
  async key(@Param('token') token: string, @Res() reply: FastifyReply): Promise<void> {
    reply.header('cache-control', NO_STORE);
    const key = await this.playback.key(token);
    await reply.type('application/octet-stream').send(key);
  }

  @Get('poster.jpg')
  @TOKEN
  @ApiOperation({ summary: 'A poster frame of the stream (none for audio only)' })
  @ApiProduces('image/jpeg')
  @binary('image/jpeg', 'a JPEG frame')
  @REFUSALS
  async poster(@Param('token') token: string, @Res() reply: FastifyReply): Promise<void> {
    reply.header('cache-control', NO_STORE);
    const file = await this.playback.poster(token);
    await reply.type(file.contentType).send(file.body);
  }

  @Get(':segment')
  @TOKEN
  @ApiParam({ name: 'segment', description: 'seg-NNNNN.ts', example: 'seg-00000.ts' })
  @ApiOperation({ summary: 'An encrypted MPEG-TS segment of the stream' })
  @ApiProduces('video/mp2t')
  @binary('video/mp2t', 'AES-128 encrypted MPEG-TS')
  @REFUSALS
  async segment(@Param('token') token: string, @Param('segment') segment: string, @Res() reply: FastifyReply): Promise<void> {
    reply.header('cache-control', NO_STORE);
    const file = await this.playback.segment(token, segment);
    await reply.type(file.contentType).send(file.body);
  }
}
