import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseInboundFile } from '../../../src/shared/consent/inbound-file';
import { parseWebhookPayload } from '../../../src/shared/consent/webhook-parser';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const json = (name: string): unknown => JSON.parse(fixture(name));

describe('parseWebhookPayload', () => {
  it('reads a text message', () => {
    expect(parseWebhookPayload(json('webhook-text.json'))).toEqual({
      errors: [],
      items: [
        {
          kind: 'text',
          messageId: 'wamid.TEXT1',
          from: '+48600100200',
          businessDisplayNumber: '+48221234567',
          phoneNumberId: '106540352242922',
          profileName: 'Anna Kowalska',
          timestamp: '2025-03-01T10:00:00.000Z',
          messageType: 'text',
          body: 'STOP',
        },
      ],
    });
  });

  it('reads buttons, interactive replies, other types and both preference forms', () => {
    const { items, errors } = parseWebhookPayload(json('webhook-mixed.json'));
    expect(errors).toEqual([]);
    expect(items.map((i) => [i.kind, i.messageId])).toEqual([
      ['button', 'wamid.BUTTON1'],
      ['button', 'wamid.INTERACTIVE1'],
      ['other', 'wamid.IMAGE1'],
      ['preference', 'wamid.SYSTEM1'],
      ['preference', 'pref:16505551234:1731705721:resume'],
    ]);
    expect(items[0]).toMatchObject({
      buttonPayload: 'STOP_MARKETING',
      buttonText: 'Stop promotions',
      contextMessageId: 'wamid.TEMPLATE1',
      profileName: 'Anna Kowalska',
      businessDisplayNumber: '+48221234567',
    });
    expect(items[1]).toMatchObject({ buttonPayload: 'yes-offers', buttonText: 'Yes please', profileName: 'Jan Nowak' });
    expect(items[2]).toMatchObject({ messageType: 'image', from: '+48600300400' });
    expect(items[3]).toMatchObject({ preference: 'stop', preferenceDetail: 'User requested to stop marketing messages' });
    expect(items[4]).toMatchObject({
      preference: 'resume',
      from: '+16505551234',
      phoneNumberId: '555000111',
      businessDisplayNumber: '+15550783881',
      profileName: 'Sheena Nelson',
      timestamp: '2024-11-15T21:22:01.000Z',
    });
  });

  it('reports each malformed item by path and keeps the valid ones', () => {
    const { items, errors } = parseWebhookPayload(json('webhook-malformed.json'));
    expect(items.map((i) => i.messageId)).toEqual(['wamid.GOOD1', 'wamid.GOOD2', 'pref:48600100200:1740823208:stop']);
    const byPath = new Map(errors.map((e) => [e.path, e.message]));
    const value = 'entry[0].changes[0].value';
    expect([...byPath.keys()].sort()).toEqual(
      [
        `${value}.messages[1].id`,
        `${value}.messages[2].timestamp`,
        `${value}.messages[3].text`,
        `${value}.messages[4].from`,
        `${value}.messages[5].button`,
        `${value}.messages[6]`,
        `${value}.user_preferences[0].value`,
        'entry[0].changes[1].value.metadata',
        'entry[0].changes[2].field',
        'entry[1].changes',
      ].sort(),
    );
    expect(byPath.get(`${value}.messages[2].timestamp`)).toContain('not Unix seconds');
    expect(byPath.get(`${value}.messages[4].from`)).toContain('not a phone number');
    expect(byPath.get(`${value}.messages[5].button`)).toBe('needs a payload or a text');
    expect(byPath.get(`${value}.user_preferences[0].value`)).toBe('must be "stop" or "resume"');
  });

  it.each([
    ['not an object', 'hello'],
    ['null', null],
    ['wrong object', { object: 'page', entry: [] }],
    ['entry not an array', { object: 'whatsapp_business_account', entry: {} }],
  ])('rejects a payload that is %s', (_label, payload) => {
    const result = parseWebhookPayload(payload);
    expect(result.items).toEqual([]);
    expect(result.errors.length).toBeGreaterThan(0);
  });

  it('refuses a millisecond timestamp rather than dating it in the far future', () => {
    const payload = json('webhook-text.json') as { entry: [{ changes: [{ value: { messages: [{ timestamp: string }] } }] }] };
    payload.entry[0].changes[0].value.messages[0].timestamp = '1740823200000';
    expect(parseWebhookPayload(payload).errors).toHaveLength(1);
  });
});

describe('parseInboundFile', () => {
  it('reads one payload', () => {
    const result = parseInboundFile(fixture('webhook-text.json'));
    expect(result.format).toBe('json');
    expect(result.items).toHaveLength(1);
  });

  it('reads JSON lines mixing payloads and simple messages, reporting bad lines', () => {
    const result = parseInboundFile(fixture('inbound.jsonl'));
    expect(result.format).toBe('json_lines');
    expect(result.items.map((i) => [i.messageId, i.body, i.from])).toEqual([
      ['wamid.L1', 'ARRÊTER', '+48600100200'],
      ['sms-42', '停止', '+48600300400'],
    ]);
    expect(result.items[1]).toMatchObject({ timestamp: '2025-03-01T09:00:00.000Z', businessDisplayNumber: '+48221234567', phoneNumberId: '' });
    expect(result.errors.map((e) => e.path)).toEqual(['line 4', 'line 5.timestamp']);
    expect(result.errors[0]?.message).toContain('not valid JSON');
  });

  it('reads a JSON array', () => {
    const result = parseInboundFile(fixture('inbound-array.json'));
    expect(result.format).toBe('json_array');
    expect(result.items).toEqual([
      expect.objectContaining({ messageId: 'sms-1', from: '+48600100200', profileName: 'Anna', timestamp: '2025-03-01T10:00:00.000Z' }),
    ]);
    expect(result.errors).toEqual([{ path: '[2].text', message: 'is missing (expected string)' }]);
  });

  it('reads semicolon CSV with a BOM, quoted delimiters, quotes and newlines', () => {
    const result = parseInboundFile(fixture('inbound.csv'));
    expect(result.format).toBe('csv');
    expect(result.items.map((i) => [i.messageId, i.body, i.businessDisplayNumber])).toEqual([
      ['row-1', 'STOP', '+48221234567'],
      ['row-2', 'Hello; can I "start" now?\nSecond line', '+48221234567'],
    ]);
    expect(result.errors).toEqual([{ path: 'row 4.from', message: '"abc" is not a phone number' }]);
  });

  it('explains an unrecognised file', () => {
    const result = parseInboundFile('hello,world\n1,2\n');
    expect(result.items).toEqual([]);
    expect(result.errors[0]?.message).toContain('missing messageId, from, to, timestamp, text');
  });

  it('reports an empty file', () => {
    expect(parseInboundFile('\uFEFF  \n')).toMatchObject({ format: 'empty', errors: [{ message: 'the file is empty' }] });
  });
});
