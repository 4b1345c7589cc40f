export * from './policy';
export * from './holiday-calendar';
export * from './hold-coverage';
export * from './artifact-deletion.service';
export * from './retention.module';
