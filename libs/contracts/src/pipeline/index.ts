export * from './service-manifest-applied.event';
export * from './run-created.event';
export * from './stage-reported.event';
export * from './artifact-published.event';
export * from './promotion-requested.event';
export * from './promotion-approved.event';
export * from './promotion-approvals-voided.event';
export * from './api-action-performed.event';
