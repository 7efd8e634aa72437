import 'reflect-metadata';
import { runService } from '@conveyor/service-kit';
import { auditService } from './audit.boot';

void runService(auditService);
