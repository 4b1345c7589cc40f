import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsObject } from 'class-validator';
import type { Principal } from '@lib/auth';
import { RetentionPolicies, RetentionStatus } from '@lib/retention';
import { ApiAuthenticated, ApiErrors } from '../http/api-docs';
import { Caller, Roles } from '../http/access.decorators';
import {
  ClassCountResponse,
  RetentionPolicyListResponse,
  RetentionPolicyResponse,
  RetentionRuleResponse,
  RetentionStatusResponse,
  RULES_BY_KIND,
} from './retention.response';

class UpdatePolicyDto {
  /** Rules by artifact kind, e.g. `{"video": {"keep": {"amount": 14, "unit": "days"}, "from": "session_start"}}`; kinds left out keep their rule. */
  @ApiProperty({
    ...RULES_BY_KIND,
    description: 'rules by artifact kind; kinds left out keep their rule',
    example: { video: { keep: { amount: 14, unit: 'days' }, from: 'session_start' } },
  })
  @IsObject()
  rules: Record<string, unknown>;
}

@ApiTags('retention')
@ApiAuthenticated()
@ApiExtraModels(RetentionRuleResponse, ClassCountResponse)
@Controller('v1/retention')
export class RetentionController {
  constructor(
    private readonly policies: RetentionPolicies,
    private readonly retention: RetentionStatus,
  ) {}

  /** The rules in force: the newest version of each profile. */
  @Get('policies')
  @Roles('admin')
  @ApiOperation({ summary: 'The retention rules in force: the newest version of each profile' })
  @ApiOkResponse({ type: RetentionPolicyListResponse })
  async list(): Promise<RetentionPolicyListResponse> {
    return { items: await this.policies.list() };
  }

  /**
   * A new version of a profile's rules. Shortening applies at once (the next sweep deletes what is
   * now due); lengthening extends what is still kept and never revives what is gone.
   */
  @Put('policies/:profile')
  @Roles('admin')
  @ApiOperation({ summary: "Publish a new version of a profile's retention rules" })
  @ApiParam({ name: 'profile', enum: ['tutoring', 'classes'] })
  @ApiOkResponse({ type: RetentionPolicyResponse, description: 'the new version' })
  @ApiErrors([400, 404, 413], { 400: 'the rules are invalid', 404: 'no such profile' })
  update(@Param('profile') profile: string, @Body() body: UpdatePolicyDto, @Caller() caller: Principal): Promise<RetentionPolicyResponse> {
    return this.policies.update(profile, body.rules, caller.personId);
  }

  /** Overdue deletions, the last and next sweep, counts by retention class, held artifacts. */
  @Get('status')
  @Roles('admin')
  @ApiOperation({ summary: 'Overdue deletions, the last and next sweep, counts by retention class' })
  @ApiOkResponse({ type: RetentionStatusResponse })
  status(): Promise<RetentionStatusResponse> {
    return this.retention.status();
  }
}
