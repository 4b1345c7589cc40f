export * from './audit-chain';
export * from './audit-trail.service';
export type { AuditReceipt } from './audit.repository';
export * from './audit.module';
export * from './audit-seal';
export * from './audit-anchor';
export * from './audit-anchors.service';
export * from './audit-sealer.service';
