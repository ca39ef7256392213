import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { rgb, type PDFDocument, type PDFFont, type PDFPage } from 'pdf-lib';

// What every PDF the app prints (the consent proof, the access export) shares: the embedded
// font (DejaVu Sans, shipped in resources/fonts with its licence, so Polish and other letters
// render on any reader; PDF's standard fonts only cover Latin-1), A4 pages and a writer that
// wraps lines and starts a new page when one is full.
export const FONT_FILES = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf' } as const;

export function findFontDir(candidates: readonly string[] = []): string {
  const resourcesPath = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
  const dirs = [
    ...candidates,
    resolve('resources/fonts'),
    ...(resourcesPath ? [join(resourcesPath, 'fonts'), join(resourcesPath, 'resources', 'fonts')] : []),
  ];
  const found = dirs.find((d) => existsSync(join(d, FONT_FILES.regular)));
  if (!found) throw new Error(`The proof font ${FONT_FILES.regular} was not found in ${dirs.join(', ')}`);
  return found;
}

export const A4 = { width: 595.28, height: 841.89 };
export const MARGIN = 48;
export const INK = rgb(0.11, 0.14, 0.19);
export const MUTED = rgb(0.37, 0.42, 0.48);

export type TextStyle = { size?: number; bold?: boolean; color?: ReturnType<typeof rgb>; indent?: number };
export type PdfWriter = { text(s: string, o?: TextStyle): void; gap(h: number): void };

// Lines that fit `width`: words move to the next line whole; a word longer than a line (an
// id, a hash) is cut by characters wherever it falls, so nothing runs off the page.
export function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const fits = (s: string) => font.widthOfTextAtSize(s, size) <= width;
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/(\s+)/)) {
      if (word === '') continue;
      if (fits(line + word)) {
        line += word;
        continue;
      }
      if (line.trim() !== '') lines.push(line.trimEnd());
      line = '';
      for (const ch of word.trimStart()) {
        if (!fits(line + ch) && line !== '') {
          lines.push(line);
          line = '';
        }
        line += ch;
      }
    }
    lines.push(line.trimEnd());
  }
  return lines;
}

export function createPdfWriter(pdf: PDFDocument, regular: PDFFont, bold: PDFFont): PdfWriter {
  let page: PDFPage = pdf.addPage([A4.width, A4.height]);
  let y = A4.height - MARGIN;
  return {
    text(s, o = {}) {
      const size = o.size ?? 9;
      const font = o.bold ? bold : regular;
      const indent = o.indent ?? 0;
      for (const line of wrap(s, font, size, A4.width - 2 * MARGIN - indent)) {
        if (y - size < MARGIN) {
          page = pdf.addPage([A4.width, A4.height]);
          y = A4.height - MARGIN;
        }
        y -= size * 1.35;
        page.drawText(line, { x: MARGIN + indent, y, size, font, color: o.color ?? INK });
      }
    },
    gap(h) {
      y -= h;
    },
  };
}
