import { ApiProperty } from '@nestjs/swagger';

export class SessionRegisteredResponse {
  @ApiProperty({ description: 'the session id from the path' }) id: string;
  @ApiProperty({ description: 'true on the first registration (201), false when it replaced one (200)' }) created: boolean;
  @ApiProperty({ type: [String], description: 'recordings of this meeting that arrived earlier and are now linked to it' })
  linkedRecordings: string[];
}
