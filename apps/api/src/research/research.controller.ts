import { Body, Controller, Get, Header, HttpCode, Param, Post, Res, StreamableFile } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Principal } from '@lib/auth';
import { Exports, Studies } from '@lib/research';
import { ApiAuthenticated, ApiErrors } from '../http/api-docs';
import { Caller, Roles } from '../http/access.decorators';
import { CreateStudyDto, RequestExportDto } from './study.dto';
import { ExportResponse, ExportsResponse, StudiesResponse, StudyResponse } from './research.response';

/**
 * Research studies and exports (issue 14; CONTRACT). A researcher of another study gets 404 for
 * everything of this one: it learns nothing, not even that it exists.
 */
@ApiTags('research')
@ApiAuthenticated()
@Controller('v1')
export class ResearchController {
  constructor(
    private readonly studies: Studies,
    private readonly exports: Exports,
  ) {}

  @Post('studies')
  @Roles('admin')
  @ApiOperation({ summary: 'Create a study: programmes and dates, consent model, kinds, agreement expiry, researchers' })
  @ApiCreatedResponse({ type: StudyResponse })
  @ApiErrors([400])
  create(@Body() body: CreateStudyDto, @Caller() caller: Principal): Promise<StudyResponse> {
    return this.studies.create(body, caller.personId);
  }

  @Get('studies')
  @Roles('admin', 'researcher')
  @ApiOperation({ summary: 'Studies: all for admins, their own for researchers' })
  @ApiOkResponse({ type: StudiesResponse })
  async list(@Caller() caller: Principal): Promise<StudiesResponse> {
    return { items: await this.studies.list(caller) };
  }

  @Get('studies/:id')
  @Roles('admin', 'researcher')
  @ApiOperation({ summary: 'One study (admins, its researchers)' })
  @ApiOkResponse({ type: StudyResponse })
  @ApiErrors([404])
  get(@Param('id') id: string, @Caller() caller: Principal): Promise<StudyResponse> {
    return this.studies.get(id, caller);
  }

  @Post('studies/:id/exports')
  @Roles('researcher')
  @ApiOperation({ summary: 'Request an export of the study (a researcher of it); an admin who is not the requester approves it' })
  @ApiCreatedResponse({ type: ExportResponse })
  @ApiErrors([400, 404, 409], { 403: 'not a researcher of this study', 409: 'the study’s agreement has expired' })
  requestExport(@Param('id') id: string, @Body() body: RequestExportDto, @Caller() caller: Principal): Promise<ExportResponse> {
    return this.exports.request(id, body.criteria ?? {}, caller);
  }

  @Get('studies/:id/exports')
  @Roles('admin', 'researcher')
  @ApiOperation({ summary: 'The study’s exports, newest first' })
  @ApiOkResponse({ type: ExportsResponse })
  @ApiErrors([404])
  async exportsOf(@Param('id') id: string, @Caller() caller: Principal): Promise<ExportsResponse> {
    return { items: await this.exports.list(id, caller) };
  }

  @Get('exports/:id')
  @Roles('admin', 'researcher')
  @ApiOperation({ summary: 'One export and its status (its study’s researchers, admins)' })
  @ApiOkResponse({ type: ExportResponse })
  @ApiErrors([404])
  getExport(@Param('id') id: string, @Caller() caller: Principal): Promise<ExportResponse> {
    return this.exports.get(id, caller);
  }

  @Post('exports/:id/approve')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Approve an export (an admin who is not the requester); it builds' })
  @ApiOkResponse({ type: ExportResponse })
  @ApiErrors([404, 409], { 403: 'the requester cannot approve their own export', 409: 'not in a state that can be approved' })
  approve(@Param('id') id: string, @Caller() caller: Principal): Promise<ExportResponse> {
    return this.exports.approve(id, caller);
  }

  @Post('exports/:id/reject')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Reject an export request (an admin who is not the requester)' })
  @ApiOkResponse({ type: ExportResponse })
  @ApiErrors([404, 409], { 403: 'the requester cannot reject their own export', 409: 'not in a state that can be rejected' })
  reject(@Param('id') id: string, @Caller() caller: Principal): Promise<ExportResponse> {
    return this.exports.reject(id, caller);
  }

  @Get('exports/:id/download')
  @Roles('researcher')
  @Header('Cache-Control', 'no-store, private')
  @ApiOperation({ summary: 'The export’s ZIP, streamed (its study’s researchers; counted against the download limit; audited)' })
  @ApiProduces('application/zip')
  @ApiOkResponse({ description: 'the archive: manifest.json, DATA_DICTIONARY.md and the de-identified files', content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } } })
  @ApiErrors([404, 409], { 403: 'not a researcher of this study', 409: 'not ready (requested, building, revoked, expired…) or the download limit is reached' })
  async download(@Param('id') id: string, @Caller() caller: Principal, @Res({ passthrough: true }) reply: FastifyReply): Promise<StreamableFile> {
    const file = await this.exports.download(id, caller);
    void reply.header('Content-Disposition', `attachment; filename="${file.fileName}"`);
    return new StreamableFile(file.body, { type: 'application/zip', length: file.sizeBytes });
  }
}
