export * from './review-queue';
export * from './review-access';
export * from './review-errors';
export * from './review.repository';
export * from './review.service';
export * from './review.module';
