import type { RxJsonSchema } from 'rxdb';
import type { Contact, SubscriptionType, User } from '../../../shared/domain';
import { BOOL, ID, ISO_TIME, SHORT_TEXT, STRING_LIST, STRING_MAP, TEXT } from './schema-helpers';

export const userSchema: RxJsonSchema<User> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: ID,
    name: SHORT_TEXT,
    role: { type: 'string', maxLength: 32 },
    createdAt: ISO_TIME,
    updatedAt: ISO_TIME,
    fieldClock: STRING_MAP,
  },
  required: ['id', 'name', 'role', 'createdAt', 'updatedAt'],
};

// Version 1 dropped the waNumber, name and updatedAt indexes: the contact directory answers
// every lookup, sort and filter from memory, the store is only asked by id, and each unused
// index cost every contact write a B-tree insert at a random place (names and numbers).
export const contactSchema: RxJsonSchema<Contact> = {
  version: 1,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: ID,
    name: SHORT_TEXT,
    email: SHORT_TEXT,
    phoneInput: TEXT,
    waNumber: { type: 'string', maxLength: 32 },
    phoneValid: BOOL,
    properties: STRING_MAP,
    tags: STRING_LIST,
    createdAt: ISO_TIME,
    updatedAt: ISO_TIME,
    fieldClock: STRING_MAP,
    lastInboundAt: ISO_TIME,
  },
  required: ['id', 'name', 'email', 'phoneInput', 'waNumber', 'phoneValid', 'properties', 'tags', 'createdAt', 'updatedAt', 'lastInboundAt'],
};

// Version 1 added validForMonths (consent expiry); older types simply lack it (no expiry).
export const subscriptionTypeSchema: RxJsonSchema<SubscriptionType> = {
  version: 1,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: ID,
    name: SHORT_TEXT,
    purpose: { type: 'string', maxLength: 32 },
    businessNumber: { type: 'string', maxLength: 32 },
    phoneNumberId: { type: 'string', maxLength: 64 },
    businessName: SHORT_TEXT,
    validForMonths: { type: 'integer', minimum: 0, maximum: 120 },
    archived: BOOL,
    createdAt: ISO_TIME,
    updatedAt: ISO_TIME,
    fieldClock: STRING_MAP,
  },
  required: ['id', 'name', 'purpose', 'businessNumber', 'phoneNumberId', 'businessName', 'archived', 'createdAt', 'updatedAt'],
};
