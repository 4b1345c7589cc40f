import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AuditTrail } from '@lib/audit';
import { Roles } from '../http/access.decorators';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditTrail) {}

  @Get()
  @Roles('admin')
  @ApiQuery({ name: 'subjectId', required: false })
  async list(@Query('subjectId') subjectId?: string) {
    return { items: await this.audit.list({ subjectId }) };
  }

  /** Re-computes the hash chain and names the first row that does not hold. */
  @Get('verify')
  @Roles('admin')
  verify() {
    return this.audit.verify();
  }
}
