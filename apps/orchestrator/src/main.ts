import 'reflect-metadata';
import { runService } from '@conveyor/service-kit';
import { orchestratorService } from './orchestrator.service-spec';

void runService(orchestratorService);
