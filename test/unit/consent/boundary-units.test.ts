import { describe, expect, it } from 'vitest';
import { asInboundItem } from '../../../src/shared/consent/inbound-item';
import { parseInboundFile, parseInboundFileInSlices } from '../../../src/shared/consent/inbound-file';
import { parseWebhookPayload } from '../../../src/shared/consent/webhook-parser';
import { isBlankText, trimInvisible } from '../../../src/shared/visible-text';
import { canonicalWaNumber, waIdVariants } from '../../../src/shared/wa-id';
import { BUSINESS, webhook } from '../../helpers/webhook';

describe('waIdVariants / canonicalWaNumber', () => {
  it.each([
    ['+5215512345678', ['+5215512345678', '+525512345678'], '+525512345678'],
    ['+525512345678', ['+525512345678', '+5215512345678'], '+525512345678'],
    ['+5491123456789', ['+5491123456789', '+541123456789'], '+5491123456789'],
    ['+541123456789', ['+541123456789', '+5491123456789'], '+5491123456789'],
    ['+5511987654321', ['+5511987654321', '+551187654321'], '+5511987654321'],
    ['+551187654321', ['+551187654321', '+5511987654321'], '+5511987654321'],
    // A Brazilian landline (subscriber starts 2–5) has no ninth-digit twin.
    ['+551133334444', ['+551133334444'], '+551133334444'],
    ['+48601234567', ['+48601234567'], '+48601234567'],
    ['+4860123456', ['+4860123456'], undefined],
    ['+999123456789', ['+999123456789'], undefined],
  ] as const)('%s', (input, variants, canonical) => {
    expect(waIdVariants(input)).toEqual(variants);
    expect(canonicalWaNumber(input)).toBe(canonical);
  });
});

describe('trimInvisible / isBlankText', () => {
  it.each([
    ['\u200b', true], [' \u200b\u2060 ', true], ['\u200e\u200f\u202a\u202c\u2066\u2069', true], ['\ufeff\u00ad', true], ['\u3000\u00a0\t\n', true],
    ['\u180e\u034f', true], ['', true], ['x', false], ['\u200bok\u200b', false], ['🛑', false],
  ] as const)('%j blank: %s', (text, blank) => {
    expect(isBlankText(text)).toBe(blank);
  });
  it('keeps the visible text and what is inside it', () => {
    expect(trimInvisible('\u200b  Asked by phone\u200d \u2060')).toBe('Asked by phone');
    expect(trimInvisible('a\u200bb')).toBe('a\u200bb');
  });
});

const message = (extra: Record<string, unknown>) => webhook([{ from: '48601234567', id: 'wamid.u1', timestamp: '1767000000', ...extra }]);

describe('webhook parser: captions and list replies', () => {
  it.each(['image', 'video', 'document'])('%s caption is read as text', (type) => {
    const { items, errors } = parseWebhookPayload(message({ type, [type]: { id: 'm1', caption: 'STOP' } }));
    expect(errors).toEqual([]);
    expect(items[0]).toMatchObject({ kind: 'text', body: 'STOP', messageType: type, phoneNumberId: BUSINESS.phoneNumberId });
  });
  it.each([
    ['no caption', { id: 'm1' }],
    ['blank caption', { id: 'm1', caption: '  ' }],
    ['caption of the wrong type', { id: 'm1', caption: 42 }],
    ['no media object', undefined],
  ])('%s stays kind other', (_label, media) => {
    const { items } = parseWebhookPayload(message({ type: 'image', ...(media === undefined ? {} : { image: media }) }));
    expect(items[0]).toMatchObject({ kind: 'other', messageType: 'image' });
  });
  it('a list reply is read like a button reply', () => {
    const { items } = parseWebhookPayload(message({ type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'row-1', title: 'Unsubscribe', description: 'x' } } }));
    expect(items[0]).toMatchObject({ kind: 'button', buttonPayload: 'row-1', buttonText: 'Unsubscribe' });
  });
});

describe('asInboundItem', () => {
  const good = { kind: 'text', messageId: 'm', from: '+48601234567', businessDisplayNumber: '+48221234567', phoneNumberId: 'p', profileName: '', timestamp: '2026-01-01T00:00:00.000Z', messageType: 'text', body: 'STOP' };
  it('reads back a stored item', () => {
    expect(asInboundItem({ ...good, importedBy: { id: 'u' } })).toEqual(good);
  });
  it.each([
    ['not an object', 'x'],
    ['null', null],
    ['unknown kind', { ...good, kind: 'evil' }],
    ['missing from', { ...good, from: undefined }],
    ['body not text', { ...good, body: 5 }],
    ['bad preference', { ...good, preference: 'maybe' }],
  ])('refuses %s', (_label, value) => {
    expect(asInboundItem(value)).toBeUndefined();
  });
});

describe('parseInboundFileInSlices', () => {
  it('reads JSON lines in slices, pausing between them, with numbered errors and a cap', async () => {
    let pauses = 0;
    const lines = ['{bad', JSON.stringify(message({ type: 'text', text: { body: 'STOP' } })), '', 'nope', '{"also": bad}'];
    const result = await parseInboundFileInSlices(lines.join('\r\n'), { pause: async () => void (pauses += 1), sliceLines: 2, errorLimit: 2 });
    expect(result.format).toBe('json_lines');
    expect(result.items).toHaveLength(1);
    expect(result.errorCount).toBe(3);
    expect(result.errors.map((e) => e.path)).toEqual(['line 1', 'line 4']);
    expect(pauses).toBeGreaterThanOrEqual(3);
  });
  it('reads a whole JSON document and CSV as before', async () => {
    const pause = async () => undefined;
    const whole = await parseInboundFileInSlices(JSON.stringify(message({ type: 'text', text: { body: 'hi' } })), { pause });
    expect(whole).toMatchObject({ format: 'json', errors: [] });
    const csv = await parseInboundFileInSlices('messageId,from,to,timestamp,text\nm1,+48601234567,+48221234567,2026-01-01T00:00:00Z,STOP\n', { pause });
    expect(csv).toMatchObject({ format: 'csv', errors: [] });
    expect(csv.items[0]?.body).toBe('STOP');
  });
  it('reads CSV in slices with the same result as reading it whole, quoted newlines included', async () => {
    const csv = [
      'messageId;from;to;timestamp;text',
      'm1;+48601234567;+48221234567;2026-01-01T00:00:00Z;STOP',
      '',
      'm2;+48601234568;+48221234567;2026-01-01T00:00:01Z;"Please,\nstop ""now"""',
      'm3;nope;+48221234567;2026-01-01T00:00:02Z;hi',
      'm4;+48601234569;+48221234567;yesterday;hi',
      'm5;+48601234570;+48221234567;1767000000;🛑 STOP',
    ].join('\r\n');
    let pauses = 0;
    const sliced = await parseInboundFileInSlices(csv, { pause: async () => void (pauses += 1), sliceLines: 1, errorLimit: 1 });
    const whole = parseInboundFile(csv);
    expect(sliced.items).toEqual(whole.items);
    expect(sliced.items.map((i) => i.body)).toEqual(['STOP', 'Please,\nstop "now"', '🛑 STOP']);
    expect(sliced.errorCount).toBe(whole.errors.length);
    expect(sliced.errors).toEqual(whole.errors.slice(0, 1));
    expect(pauses).toBeGreaterThanOrEqual(5);
  });

  it('a CSV without the required columns is one clear error', async () => {
    const result = await parseInboundFileInSlices('a,b\n1,2', { pause: async () => undefined });
    expect(result.items).toEqual([]);
    expect(result.errors[0]?.message).toContain('missing messageId');
  });
});
