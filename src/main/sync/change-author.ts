import { AsyncLocalStorage } from 'node:async_hooks';

/*
 * Who is making the change being written now: the signed-in user of the API call that
 * caused it. The field stamping (field-stamping.ts) runs deep inside RxDB's save hooks, where
 * no caller could pass the user along, so the API layer sets it around each call. Work not
 * started by a user (first-run defaults, migrations, sync itself) has no author ('').
 */
const author = new AsyncLocalStorage<string>();

export const withChangeAuthor = <T>(userId: string, work: () => Promise<T>): Promise<T> => author.run(userId, work);

export const currentChangeAuthor = (): string => author.getStore() ?? '';

/*
 * Writes that put documents received from elsewhere into the store (a kept-aside document
 * that passed a re-check) run through the collection like local writes; they carry their
 * own stamps and signatures, which the save hooks must leave as they are.
 */
const arriving = new AsyncLocalStorage<true>();

export const asArrivalWrite = <T>(work: () => Promise<T>): Promise<T> => arriving.run(true, work);

export const isArrivalWrite = (): boolean => arriving.getStore() === true;
