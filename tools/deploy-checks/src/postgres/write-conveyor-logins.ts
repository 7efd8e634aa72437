/** Regenerates deploy/postgres/conveyor-logins.sql: node -r @swc-node/register tools/deploy-checks/src/postgres/write-conveyor-logins.ts */
import { writeFileSync } from 'node:fs';
import { repoPath } from '../repo-files';
import { conveyorLoginsSql } from './conveyor-logins';

writeFileSync(repoPath('deploy/postgres/conveyor-logins.sql'), conveyorLoginsSql());
