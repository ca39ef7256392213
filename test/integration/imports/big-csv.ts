// A generated spreadsheet of n contacts (valid Polish mobile numbers), for the resume
// test and the benchmark.
const HEADER = 'name;phone;email;marketing;city;customer_since;notes';

const line = (i: number) => {
  const n = String(i).padStart(7, '0');
  return `Kontakt ${n} Wiśniewski;+48 60${n.slice(0, 1)} ${n.slice(1, 4)} ${n.slice(4)};kontakt${n}@example.pl;${i % 3 === 0 ? 'nie' : 'tak'};Kraków;2021-0${(i % 9) + 1}-15;Zapisany na targach`;
};

export function bigCsv(rows: number): string {
  const lines = [HEADER];
  for (let i = 0; i < rows; i++) lines.push(line(i));
  return `${lines.join('\r\n')}\r\n`;
}

// The same file as bytes, written line by line into one buffer: no text of the whole file
// and no array of lines (the benchmark measures peak memory soon after making it).
export function bigCsvBytes(rows: number): Buffer {
  let out = Buffer.allocUnsafe((HEADER.length + 2) + rows * (Buffer.byteLength(line(0)) + 4));
  let at = out.write(`${HEADER}\r\n`);
  for (let i = 0; i < rows; i++) {
    const text = `${line(i)}\r\n`;
    if (at + Buffer.byteLength(text) > out.length) out = Buffer.concat([out.subarray(0, at), Buffer.alloc(out.length)]);
    at += out.write(text, at);
  }
  return out.subarray(0, at);
}
