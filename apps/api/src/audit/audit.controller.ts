import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AuditTrail } from '@lib/audit';
import { ApiAuthenticated } from '../http/api-docs';
import { Roles } from '../http/access.decorators';
import { AuditListResponse, AuditVerifyResponse } from './audit.response';

@ApiTags('audit')
@ApiAuthenticated()
@Controller('v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditTrail) {}

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'Audit trail entries, newest first, optionally for one subject' })
  @ApiQuery({ name: 'subjectId', required: false })
  @ApiOkResponse({ type: AuditListResponse })
  async list(@Query('subjectId') subjectId?: string): Promise<AuditListResponse> {
    return { items: await this.audit.list({ subjectId }) };
  }

  /** Re-computes the sealed chain against the anchors and names the first event that does not hold. */
  @Get('verify')
  @Roles('admin')
  @ApiOperation({ summary: 'Check the integrity of the audit chain against its anchors (from genesis, or incrementally from the last anchor)' })
  @ApiQuery({ name: 'from', required: false, enum: ['genesis', 'anchor'], description: 'genesis (default): the whole chain; anchor: from the last anchor on' })
  @ApiOkResponse({ type: AuditVerifyResponse })
  verify(@Query('from') from?: string): Promise<AuditVerifyResponse> {
    return this.audit.verify(from === 'anchor' ? 'incremental' : 'full');
  }
}
