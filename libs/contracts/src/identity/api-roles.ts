/**
 * The roles of people's and machines' API tokens. The pipeline issues tokens with one of them;
 * every service with an HTTP API checks them (see libs/service-kit's api-auth).
 */
export const API_ROLES = ['ci', 'deployer', 'approver', 'auditor', 'admin'] as const;
export type ApiRole = (typeof API_ROLES)[number];
