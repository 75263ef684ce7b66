import { cpus, platform, release, totalmem } from 'node:os';

/** One line naming the machine, so that results from different machines are read as such. */
export function describeMachine(): string {
  const list = cpus();
  const model = list[0]?.model.trim() ?? 'unknown CPU';
  const memoryGb = (totalmem() / 1024 ** 3).toFixed(1);
  return `${list.length} × ${model}, ${memoryGb} GB RAM, ${platform()} ${release()}, Node.js ${process.version}`;
}
