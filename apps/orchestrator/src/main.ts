import 'reflect-metadata';
import { runService } from '@conveyor/service-kit';
import { orchestratorService } from './orchestrator.boot';

void runService(orchestratorService);
