import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../src/db/schema.js';

/** Each row of each table as its text form: what a dump of the database shows. */
export async function tableText(db: Kysely<DB>, names: readonly string[]): Promise<string> {
  const parts: string[] = [];
  for (const name of names) {
    const rows = await sql<{
      row: string;
    }>`select t::text as row from ${sql.table(name)} t`.execute(db);
    parts.push(...rows.rows.map((r) => r.row));
  }
  return parts.join('\n');
}

/** Every file below `root` (none when it does not exist), as full paths. */
export async function filesUnder(root: string): Promise<string[]> {
  if (!existsSync(root)) return [];
  return (await readdir(root, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}
