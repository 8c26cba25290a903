// Runs a job against a throw-away Odin simulator and reads its summary: node run-job.mjs
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JobError, runJob, startSimulator } from 'odin-bulk';

const sim = await startSimulator({ users: 10 });
const dir = await mkdtemp(join(tmpdir(), 'odin-bulk-example-'));
const manifest = join(dir, 'users.csv');
const rows = sim.userIds().slice(0, 3).map((userId) => `${userId},true,Use Configurable CLID`);
await writeFile(manifest, ['userId,useUserCLIDSetting,clidPolicy', ...rows].join('\n') + '\n');
try {
  const { summary, outDir, exitCode } = await runJob({
    manifest,
    out: join(dir, 'report'),
    connection: { baseUrl: sim.url, username: sim.username, password: sim.password },
  });
  console.log(`${summary.total} rows: ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.failed} failed`);
  console.log(`Reports: ${outDir}`);
  process.exitCode = exitCode;
} catch (error) {
  if (!(error instanceof JobError)) throw error;
  console.error(`${error.code}: ${error.message}\n${error.details.join('\n')}`);
  process.exitCode = error.exitCode;
} finally {
  await sim.close();
}
