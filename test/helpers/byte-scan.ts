import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

// Every file under a folder, with the needles found in its bytes (UTF-8, UTF-16LE and
// UTF-16BE). For proving that erased values are gone from disk, whatever wrote them.
export function scanBytes(dir: string, needles: readonly string[]): Array<{ file: string; needle: string; encoding: string }> {
  const forms = needles.flatMap((needle) => {
    const le = Buffer.from(needle, 'utf16le');
    const be = Buffer.from(le).swap16();
    return [
      { needle, encoding: 'utf8', bytes: Buffer.from(needle, 'utf8') },
      { needle, encoding: 'utf16le', bytes: le },
      { needle, encoding: 'utf16be', bytes: be },
    ];
  });
  const hits: Array<{ file: string; needle: string; encoding: string }> = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      const st = statSync(path);
      if (st.isDirectory()) walk(path);
      else if (st.isFile()) {
        const content = readFileSync(path);
        for (const f of forms) if (content.includes(f.bytes)) hits.push({ file: path, needle: f.needle, encoding: f.encoding });
      }
    }
  };
  walk(dir);
  return hits;
}
