
import { copyFile, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { atomicWriteFile, commitTemp, hostTag, processGone, tempPathFor } from '../io/atomic.js';
import type { TopicPartition } from './types.js';
import { ensureDir } from '../io/ensure-dir.js';

export const STAGING_DIR = '.staging';
const MANIFEST = 'manifest.json';
const DEAD_CHUNK = 'dead-letter.jsonl';
const ROLL_ID = /^roll-[0-9TZ]+-[A-Za-z0-9]+-(\d+)-\d{5}$/;

export interface RollManifest {
  id: string;
  /** Consumer group the roll's offsets are committed to (null: no group, published at once). */
  group: string | null;
  host: string;
  pid: number;
  /** The partitions whose offsets the roll's commit moves. */
  lanes: TopicPartition[];
  /** Files, relative to the output directory. */
  files: string[];
  /** The roll's dead-letter file once published (absolute or relative to cwd); null = none. */
  deadLetter: string | null;
}

export interface OpenRoll {
  id: string;
  dir: string;
  /** Where to write a file whose final place is `rel` (relative to the output directory). */
  pathFor(rel: string): string;
  /** Where to write the roll's dead letters before they are appended to the dead-letter file. */
  deadChunk: string;
}

export interface SweepResult {
  /** Rolls published (their commit had gone through) and the files they put in place. */
  published: string[];
  files: string[];
  discarded: string[];
  /** One-shot runs that died while publishing, undone (their files removed: the source is read again in full). */
  undone: string[];
}

/** What a one-shot run is about to publish (`.staging/run-<run>.publishing`). */
interface RunRecord {
  run: string;
  host: string;
  pid: number;
  /** The `<host>-<pid>` suffix of its claims. */
  claim: string;
  rolls: string[];
  finals: string[];
}

const RUN_PREFIX = 'run-';
const RUN_SUFFIX = '.publishing';
const DONE_PREFIX = 'done-';

const isMissing = (e: unknown): boolean => (e as NodeJS.ErrnoException).code === 'ENOENT';

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (e) {
    if (isMissing(e)) return false;
    throw e;
  }
}

async function fsyncDir(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } catch {
    // some filesystems refuse fsync on directories; renames stay atomic
  } finally {
    await fh.close();
  }
}

export { hostTag };

export class Staging {
  readonly root: string;
  private readonly claim = `${hostTag()}-${process.pid}`;

  constructor(private readonly out: string) {
    this.root = join(out, STAGING_DIR);
  }

  /** Open a roll's staging folder. */
  async begin(id: string): Promise<OpenRoll> {
    const dir = join(this.root, id);
    await ensureDir(dir);
    return { id, dir, pathFor: (rel) => join(dir, rel), deadChunk: join(dir, DEAD_CHUNK) };
  }

  /** Write the manifest and fsync: from here on the roll can be published by anyone. */
  async seal(roll: OpenRoll, m: Omit<RollManifest, 'id' | 'host' | 'pid'>): Promise<void> {
    const manifest: RollManifest = { id: roll.id, host: hostTag(), pid: process.pid, ...m };
    await atomicWriteFile(join(roll.dir, MANIFEST), JSON.stringify(manifest));
    await fsyncDir(this.root);
  }

  /**
   * Move a sealed roll's files into place and append its dead letters. Returns the final paths, or null
   * when the roll is not here (already published or discarded by another process).
   */
  async publish(id: string): Promise<string[] | null> {
    const claimed = await this.take(id, 'publish');
    return claimed === null ? null : this.finishPublish(claimed);
  }

  /** Drop a roll that will never be committed (claims it first, so a concurrent publish wins or loses whole). */
  async discard(id: string): Promise<boolean> {
    const claimed = await this.take(id, 'discard');
    if (claimed === null) return false;
    await rm(claimed, { recursive: true, force: true });
    return true;
  }

  /** Claim a staged roll by renaming it; null when another process got there first (or it is gone). */
  private async take(id: string, as: 'publish' | 'discard'): Promise<string | null> {
    const claimed = join(this.root, `${id}.${as}-${this.claim}`);
    try {
      await rename(join(this.root, id), claimed);
      return claimed;
    } catch (e) {
      if (isMissing(e)) return null;
      throw e;
    }
  }

  /**
   * A one-shot export (no group) is about to publish its staged rolls: record the run's final paths and
   * roll ids first, so that if this process dies part-way the next run undoes it (`sweep`), and the run's
   * output is all there or not at all. `endRun` marks the run complete.
   */
  async beginRun(run: string, rolls: readonly string[], finals: readonly string[]): Promise<void> {
    const record: RunRecord = { run, host: hostTag(), pid: process.pid, claim: this.claim, rolls: [...rolls], finals: [...finals] };
    await atomicWriteFile(join(this.root, `${RUN_PREFIX}${run}${RUN_SUFFIX}`), JSON.stringify(record));
    await fsyncDir(this.root);
  }

  /**
   * The run's output is complete: note it under `identity` (what the export read, hashed by the caller)
   * before forgetting the run record, so a later run of the same export can tell it is done, even when
   * this process is killed before it exits.
   */
  async endRun(run: string, identity: string | null): Promise<void> {
    if (identity !== null) await atomicWriteFile(join(this.root, `${DONE_PREFIX}${identity}.json`), JSON.stringify({ run, identity, at: new Date().toISOString() }));
    await rm(join(this.root, `${RUN_PREFIX}${run}${RUN_SUFFIX}`), { force: true });
    await fsyncDir(this.root);
  }

  /** The run that completed the export `identity` into this directory, or null. */
  async completed(identity: string): Promise<{ run: string; at: string } | null> {
    try {
      return JSON.parse(await readFile(join(this.root, `${DONE_PREFIX}${identity}.json`), 'utf8')) as { run: string; at: string };
    } catch (e) {
      if (isMissing(e)) return null;
      throw e;
    }
  }

  private async completedRun(run: string): Promise<boolean> {
    for (const name of await readdir(this.root)) {
      if (!name.startsWith(DONE_PREFIX)) continue;
      const done = JSON.parse(await readFile(join(this.root, name), 'utf8')) as { run: string };
      if (done.run === run) return true;
    }
    return false;
  }

  /** Undo a run that did not complete: remove what it put under final names, its rolls and its record. */
  async undoRun(run: string): Promise<number> {
    const path = join(this.root, `${RUN_PREFIX}${run}${RUN_SUFFIX}`);
    let record: RunRecord;
    try {
      record = JSON.parse(await readFile(path, 'utf8')) as RunRecord;
    } catch (e) {
      if (isMissing(e)) return 0;
      throw e;
    }
    let removed = 0;
    for (const f of record.finals) {
      if (await exists(f)) removed++;
      await rm(f, { force: true });
    }
    for (const id of record.rolls) {
      await rm(join(this.root, id), { recursive: true, force: true });
      await rm(join(this.root, `${id}.publish-${record.claim}`), { recursive: true, force: true });
    }
    await rm(path, { force: true });
    return removed;
  }

  /** Publish the rolls among `ids` (commit metadata of partitions just assigned) that are still staged here. */
  async recoverNamed(ids: Iterable<string>): Promise<{ rolls: number; files: string[] }> {
    const out = { rolls: 0, files: [] as string[] };
    for (const id of new Set(ids)) {
      if (!ROLL_ID.test(id) || !(await exists(join(this.root, id, MANIFEST)))) continue;
      const files = await this.publish(id);
      if (files === null) continue;
      out.rolls++;
      out.files.push(...files);
    }
    return out;
  }

  /**
   * Rolls left by dead processes of this host: sealed ones named by the group's committed metadata are
   * published, the rest discarded; half-published ones are finished; unsealed and discard claims removed.
   * `named(manifest)` says whether the group's commit for any of the roll's partitions carries its id.
   */
  async sweep(named: (m: RollManifest) => Promise<boolean>): Promise<SweepResult> {
    const result: SweepResult = { published: [], files: [], discarded: [], undone: [] };
    let entries: string[];
    try {
      entries = await readdir(this.root);
    } catch (e) {
      if (isMissing(e)) return result;
      throw e;
    }
    // one-shot runs that died while publishing are undone first (their claimed rolls must not be finished)
    for (const name of entries) {
      if (!name.startsWith(RUN_PREFIX) || !name.endsWith(RUN_SUFFIX)) continue;
      const record = JSON.parse(await readFile(join(this.root, name), 'utf8')) as RunRecord;
      if (!processGone(record.host, record.pid)) continue;
      if (await this.completedRun(record.run)) await rm(join(this.root, name), { force: true }); // died after noting completion
      else {
        await this.undoRun(record.run);
        result.undone.push(record.run);
      }
    }
    if (result.undone.length > 0) entries = await readdir(this.root);
    for (const name of entries) {
      const claim = /^(roll-.+)\.(publish|discard)-([A-Za-z0-9]+)-(\d+)$/.exec(name);
      if (claim !== null) {
        if (!processGone(claim[3]!, Number(claim[4]))) continue;
        const path = join(this.root, name);
        if (claim[2] === 'discard') await rm(path, { recursive: true, force: true });
        else {
          const mine = join(this.root, `${claim[1]}.publish-${this.claim}`);
          await rename(path, mine).catch((e: unknown) => (isMissing(e) ? undefined : Promise.reject(e)));
          const files = (await exists(mine)) ? await this.finishPublish(mine) : null;
          if (files !== null) {
            result.files.push(...files);
            result.published.push(claim[1]!);
          }
        }
        continue;
      }
      const m = ROLL_ID.exec(name);
      if (m === null) continue;
      const manifest = await readManifest(join(this.root, name));
      const host = manifest?.host ?? name.split('-')[2]!;
      const pid = manifest?.pid ?? Number(m[1]);
      if (!processGone(host, pid)) continue;
      if (manifest !== null && manifest.group !== null && (await named(manifest))) {
        const files = await this.publish(name);
        if (files !== null) {
          result.files.push(...files);
          result.published.push(name);
        }
      } else if (await this.discard(name)) result.discarded.push(name);
    }
    return result;
  }

  /** Publish a claimed roll; null when it had been published already (a publisher died removing it). */
  private async finishPublish(claimed: string): Promise<string[] | null> {
    const manifest = await readManifest(claimed);
    if (manifest === null) {
      // only the final removal below deletes the manifest of a claimed roll, and it starts once the roll
      // is fully published: a claimed folder without one is the remains of a publisher that died there
      await rm(claimed, { recursive: true, force: true });
      return null;
    }
    const done: string[] = [];
    const dirs = new Set<string>();
    for (const rel of manifest.files) {
      const final = join(this.out, rel);
      await ensureDir(dirname(final));
      try {
        await rename(join(claimed, rel), final);
      } catch (e) {
        if (!isMissing(e) || !(await exists(final))) throw e; // moved already by an earlier publish attempt
      }
      dirs.add(dirname(final));
      done.push(final);
    }
    for (const d of dirs) await fsyncDir(d);
    if (manifest.deadLetter !== null && (await exists(join(claimed, DEAD_CHUNK)))) {
      // the roll's own dead-letter file: copied beside its final name and renamed, so publishing it twice
      // (a publisher that died here, finished by the next run) leaves it once and never half-written
      if (!(await exists(manifest.deadLetter))) {
        await ensureDir(dirname(manifest.deadLetter));
        const tmp = tempPathFor(manifest.deadLetter);
        try {
          await copyFile(join(claimed, DEAD_CHUNK), tmp);
          await commitTemp(tmp, manifest.deadLetter);
        } catch (e) {
          await rm(tmp, { force: true });
          throw e;
        }
      }
    }
    await rm(claimed, { recursive: true, force: true });
    return done;
  }
}

async function readManifest(dir: string): Promise<RollManifest | null> {
  try {
    return JSON.parse(await readFile(join(dir, MANIFEST), 'utf8')) as RollManifest;
  } catch (e) {
    if (isMissing(e)) return null;
    throw e;
  }
}

/** A roll id: unique across runs and workers (run id = UTC start, host, pid) and within a run (seq). */
export const rollId = (run: string, seq: number): string => `roll-${run}-${String(seq).padStart(5, '0')}`;
