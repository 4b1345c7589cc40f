import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiResponse } from '@nestjs/swagger';

/**
 * OpenAPI helpers for the controllers. Decorators are explicit (no @nestjs/swagger CLI plugin):
 * the build is plain tsc and tests run the sources through swc, where the plugin would not run.
 */

/** Every refusal, whoever raises it (domain-error.filter.ts, the access guard, the body parser). */
export class ErrorResponse {
  @ApiProperty({ type: 'integer', example: 404 }) statusCode: number;
  @ApiProperty({
    description: 'safe to show; a list when several fields of a request are invalid',
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example: 'recording not found',
  })
  message: string | string[];
}

const WHY: Record<number, string> = {
  400: 'the request is malformed or breaks a rule (message says which)',
  401: 'no bearer token, or one that is invalid or expired',
  403: 'your role (or your relation to the data) may not do this',
  404: 'no such item',
  409: 'the item is not in a state that allows this',
  413: 'the body is larger than allowed',
  415: 'the body is not of a media type this route takes',
  422: 'the decision is well-formed but the rules refuse it',
  429: 'too many requests from this source',
  503: 'a dependency does not answer',
};

/** Error answers a route can give, each with the shared error schema; `descriptions` overrides the default text. */
export function ApiErrors(statuses: number[], descriptions: Record<number, string> = {}) {
  return applyDecorators(
    ...statuses.map((status) => ApiResponse({ status, type: ErrorResponse, description: descriptions[status] ?? WHY[status] ?? 'refused' })),
  );
}

/** A route behind the access guard: bearer token required, 401 without one, 403 for a role that may not. */
export function ApiAuthenticated() {
  return applyDecorators(ApiBearerAuth(), ApiErrors([401, 403]));
}
