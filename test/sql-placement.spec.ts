import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(__dirname, '../src');

async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((entry) => (entry.isDirectory() ? (entry.name === 'generated' ? [] : files(path.join(dir, entry.name))) : [path.join(dir, entry.name)])));
  return nested.flat().filter((file) => file.endsWith('.ts'));
}

/** Where SQL may be written: a rule about file contents (the import layering is dependency-cruiser's, test/layering.spec.ts). */
describe('SQL placement', () => {
  it('SQL is written only in core and db: not in the schema, the HTTP layer, plugins or the CLI', async () => {
    const outside = (await files(SRC)).filter((file) => !/\/src\/(core|db|generated)\//.test(file));
    for (const file of outside) {
      const text = await readFile(file, 'utf8');
      expect(text, `${path.relative(SRC, file)} runs SQL`).not.toMatch(/\bconn\.(query|exec)\(|\$(queryRaw|executeRaw)(Unsafe)?\b|\.sql\.session\(/);
    }
  });

  it('outside src/db every statement goes through the seam (run, runCounted, preparedStatement): no SQL text handed to a connection', async () => {
    const outside = (await files(SRC)).filter((file) => !/\/src\/(db|generated)\//.test(file) && !file.endsWith('.spec.ts'));
    for (const file of outside) {
      const text = await readFile(file, 'utf8');
      expect(text, `${path.relative(SRC, file)} hands SQL text to a connection`).not.toMatch(/\b(conn|tx|client|connection)\.(query|exec)\s*[<(]|\bcountChanged\(/);
      expect(text, `${path.relative(SRC, file)} assembles statements with positional parameters`).not.toMatch(/\$\{[^}]*\.add\(|['"`]\$\d+['"`]/);
    }
  });

  it("Prisma's raw SQL entry points are used only by the bridge that runs seam statements in a Prisma transaction", async () => {
    const bridge = path.join(SRC, 'db/prisma-connection.ts');
    for (const file of await files(SRC)) {
      if (file === bridge) continue;
      const text = await readFile(file, 'utf8');
      expect(text, `${path.relative(SRC, file)} uses Prisma's raw SQL`).not.toMatch(/\$(queryRaw|executeRaw)(Unsafe)?\b/);
    }
  });

  it("a write through Prisma models opens its transaction only through inWriteTransaction (so the seam's statements and events can join it)", async () => {
    const opener = path.join(SRC, 'db/write-transaction.ts');
    for (const file of await files(SRC)) {
      if (file === opener) continue;
      const text = await readFile(file, 'utf8');
      expect(text, `${path.relative(SRC, file)} opens a Prisma transaction of its own`).not.toMatch(/\$transaction\(/);
    }
  });

  it('events reach the outbox one way: recordEvents, or OUTBOX_INSERT in the statement that makes the change', async () => {
    const outbox = path.join(SRC, 'core/events/record-events.ts');
    for (const file of await files(SRC)) {
      if (file === outbox) continue;
      const text = await readFile(file, 'utf8');
      expect(text, `${path.relative(SRC, file)} writes events its own way`).not.toMatch(/INSERT INTO "DomainEvent"|domainEvent\.(create|createMany|upsert)\(/);
    }
  });
});
