// A generated spreadsheet of n contacts (valid Polish mobile numbers), for the resume
// test and the benchmark.
export function bigCsv(rows: number): string {
  const lines = ['name;phone;email;marketing;city;customer_since;notes'];
  for (let i = 0; i < rows; i++) {
    const n = String(i).padStart(7, '0');
    lines.push(`Kontakt ${n} Wiśniewski;+48 60${n.slice(0, 1)} ${n.slice(1, 4)} ${n.slice(4)};kontakt${n}@example.pl;${i % 3 === 0 ? 'nie' : 'tak'};Kraków;2021-0${(i % 9) + 1}-15;Zapisany na targach`);
  }
  return `${lines.join('\r\n')}\r\n`;
}
