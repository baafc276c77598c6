import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { S3Server } from '../test/harness';

/** Attached files of the capture bench: KUMIKO_BENCH_FILES files of ~KUMIKO_BENCH_FILE_KB. */
const FILES = Number(process.env.KUMIKO_BENCH_FILES ?? 2000);
const FILE_KB = Number(process.env.KUMIKO_BENCH_FILE_KB ?? 100);

/** The restic side of an agent config for the bench: repository, password file, paths. */
export interface BenchAttachedFiles {
  repository: string;
  passwordFile: string;
  dir: string;
  /** Adds a day's new uploads (a few files), so each point has new data to store and check. */
  addDailyUploads(day: number): void;
  /** `restic backup` of the folder as an admin would run it by hand (the anchor's file half). */
  backupByHand(): Promise<void>;
  bytes: number;
}

/**
 * An uploads folder as a customer's application keeps one (invoices, scans: many files of
 * ~100 KB, in folders of 100), a restic repository in the bench bucket, and its first backup
 * (the install's first point) made with the agent's cache, so the timed points are daily ones:
 * most files unchanged, a few new.
 */
export async function prepareAttachedFiles(
  work: string,
  s3: S3Server,
  bucket: string,
  cacheDir: string,
): Promise<BenchAttachedFiles> {
  const dir = path.join(work, 'uploads');
  let bytes = 0;
  for (let i = 0; i < FILES; i++) {
    const folder = path.join(dir, `batch-${Math.floor(i / 100)}`);
    fs.mkdirSync(folder, { recursive: true });
    const data = crypto.randomBytes(FILE_KB * 1024);
    fs.writeFileSync(path.join(folder, `invoice-${i}.pdf`), data);
    bytes += data.length;
  }
  const passwordFile = path.join(work, 'restic.pass');
  fs.writeFileSync(passwordFile, 'bench', { mode: 0o600 });
  const repository = `s3:${s3.endpoint}/${bucket}/kumiko/bench/restic`;
  const env = {
    PATH: process.env.PATH,
    RESTIC_REPOSITORY: repository,
    RESTIC_PASSWORD_FILE: passwordFile,
    AWS_ACCESS_KEY_ID: s3.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
  };
  const restic = (args: string[]) =>
    new Promise<void>((resolve, reject) =>
      execFile(
        'restic',
        ['--cacert', s3.caFile, '--cache-dir', cacheDir, ...args],
        { env, maxBuffer: 64 * 1024 * 1024 },
        (error, _stdout, stderr) => (error ? reject(new Error(`restic: ${stderr}`)) : resolve()),
      ),
    );
  await restic(['init']);
  const backup = () => restic(['backup', dir, '--host', 'bench', '--tag', 'kumiko', '--quiet']);
  await backup();
  return {
    backupByHand: backup,
    repository,
    passwordFile,
    dir,
    bytes,
    addDailyUploads(day) {
      const folder = path.join(dir, `day-${day}`);
      fs.mkdirSync(folder, { recursive: true });
      for (let i = 0; i < 5; i++) {
        fs.writeFileSync(path.join(folder, `scan-${i}.pdf`), crypto.randomBytes(FILE_KB * 1024));
      }
    },
  };
}
