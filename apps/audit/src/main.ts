import 'reflect-metadata';
import { runService } from '@conveyor/service-kit';
import { auditService } from './audit-service.definition';

void runService(auditService);
