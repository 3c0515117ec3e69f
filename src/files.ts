/** Writing files so that a crash or a failed check never leaves half a file where a whole one is expected. */
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";

/** Writes next to the target, then renames (atomic within one file system). */
export async function writeFileAtomically(file: string, data: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  await writeFile(temporary, data);
  await rename(temporary, file);
}
