import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { IsObject } from 'class-validator';
import type { Principal } from '@lib/auth';
import { RetentionPolicies, RetentionStatus } from '@lib/retention';
import { Caller, Roles } from '../http/access.decorators';

class UpdatePolicyDto {
  /** Rules by artifact kind, e.g. `{"video": {"keep": {"amount": 14, "unit": "days"}, "from": "session_start"}}`; kinds left out keep their rule. */
  @IsObject() rules: Record<string, unknown>;
}

@ApiTags('retention')
@ApiBearerAuth()
@Controller('v1/retention')
export class RetentionController {
  constructor(
    private readonly policies: RetentionPolicies,
    private readonly retention: RetentionStatus,
  ) {}

  /** The rules in force: the newest version of each profile. */
  @Get('policies')
  @Roles('admin')
  async list() {
    return { items: await this.policies.list() };
  }

  /**
   * A new version of a profile's rules. Shortening applies at once (the next sweep deletes what is
   * now due); lengthening extends what is still kept and never revives what is gone.
   */
  @Put('policies/:profile')
  @Roles('admin')
  update(@Param('profile') profile: string, @Body() body: UpdatePolicyDto, @Caller() caller: Principal) {
    return this.policies.update(profile, body.rules, caller.personId);
  }

  /** Overdue deletions, the last and next sweep, counts by retention class, held artifacts. */
  @Get('status')
  @Roles('admin')
  status() {
    return this.retention.status();
  }
}
