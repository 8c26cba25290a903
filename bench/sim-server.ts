/**
 * The simulator in its own process for the benchmark (started by lib/sim-process.ts with an IPC channel).
 * It runs the BUILT simulator (dist/), listens on 127.0.0.1 only, and answers the bench's control messages.
 */
type SimModule = typeof import('../src/simulator/simulator.js');

const { startSimulator } = (await import(new URL('../dist/simulator/simulator.js', import.meta.url).href)) as SimModule;
const options = JSON.parse(process.argv[2] ?? '{}') as Parameters<SimModule['startSimulator']>[0];
const sim = await startSimulator({ ...options, port: 0, record: false, now: () => performance.timeOrigin + performance.now() });

type Message = { id: number; cmd: string; args?: Record<string, unknown> };

const api = () => sim.requests.filter((r) => !r.path.startsWith('/auth'));

process.on('message', async (m: Message) => {
  let result: unknown = null;
  switch (m.cmd) {
    case 'faults':
      sim.setFaults(m.args ?? {});
      break;
    case 'record':
      sim.clearRequests();
      sim.record = Boolean(m.args?.on);
      break;
    case 'reset':
      sim.clearRequests();
      sim.resetStats();
      break;
    case 'stats':
      result = sim.stats;
      break;
    case 'times':
      result = api().map((r) => r.at);
      break;
    case 'statuses': {
      const counts: Record<string, number> = {};
      for (const r of api()) counts[r.status] = (counts[r.status] ?? 0) + 1;
      result = counts;
      break;
    }
    case 'close':
      await sim.close();
      process.send!({ id: m.id, result }, () => process.exit(0));
      return;
  }
  process.send!({ id: m.id, result });
});

process.send!({ id: 0, result: { url: sim.url, username: sim.username, password: sim.password } });
