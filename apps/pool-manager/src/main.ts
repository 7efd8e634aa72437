import 'reflect-metadata';
import { runService } from '@conveyor/service-kit';
import { poolManagerService } from './pool-manager.boot';

void runService(poolManagerService);
