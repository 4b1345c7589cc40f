export * from './audit-chain';
export * from './audit-trail.service';
export type { AuditReceipt } from './audit.repository';
export * from './audit.module';
