import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/*
 * Where a history file export goes. In the desktop app main asks the user with a save dialog
 * (src/main/index.ts), so a file is only ever written where the user chose; the renderer never
 * names a path. Without a window (tests, the e2e harness, benches) the file goes to a new name
 * in the data folder's `exports` folder. Null: the user closed the dialog.
 */
export type ChooseExportPath = (suggestedName: string) => Promise<string | null>;

export function dataFolderExports(dataDir: string): ChooseExportPath {
  return async (suggestedName) => {
    const folder = join(dataDir, 'exports');
    mkdirSync(folder, { recursive: true });
    let fileName = suggestedName;
    for (let n = 2; existsSync(join(folder, fileName)); n++) fileName = suggestedName.replace(/(\.\w+)$/, `-${n}$1`);
    return join(folder, fileName);
  };
}
