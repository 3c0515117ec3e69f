/** Writing files so that a crash or a failed check never leaves half a file where a whole one is expected. */
import { randomBytes } from "node:crypto";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * Writes next to the target, then renames (atomic within one file system). The temporary name is
 * this writer's own: two writers of one file, in one process or two, never rename each other's.
 */
export async function writeFileAtomically(file: string, data: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const unique = `${process.pid}.${randomBytes(6).toString("hex")}`;
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${unique}.tmp`);
  try {
    await writeFile(temporary, data);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
