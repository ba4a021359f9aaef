import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

import { emitServerTypes } from '../../../packages/client/scripts/emit-server-types.mjs';

// The generated router types must equal the server's, procedure by procedure, in both directions.
// The check file lives under tests/ so it can see @rag/core and @trpc/server at the same time.
const dir = mkdtempSync(join(import.meta.dirname, '.exact-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CHECK = `
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppErrorCode as ServerCode, AppErrorDetails as ServerDetails, AppRouter as Server, AskEvent as ServerAsk, IngestProgress as ServerProgress } from '@rag/core';
import type { AppErrorCode, AppErrorDetails, AppRouter, AskEvent, IngestProgress } from './server-types';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Diff<S, C> = {
  [D in keyof S | keyof C]: D extends keyof S & keyof C
    ? { [P in keyof S[D] | keyof C[D]]: P extends keyof S[D] & keyof C[D]
        ? Same<S[D][P], C[D][P]> extends true ? never : \`\${D & string}.\${P & string}\`
        : \`\${D & string}.\${P & string} (missing on one side)\` }[keyof S[D] | keyof C[D]]
    : \`\${D & string} (missing on one side)\`;
}[keyof S | keyof C];

type Never<T extends never> = T;
export type InputsMatch = Never<Diff<inferRouterInputs<Server>, inferRouterInputs<AppRouter>>>;
export type OutputsMatch = Never<Diff<inferRouterOutputs<Server>, inferRouterOutputs<AppRouter>>>;
export const codes: Same<ServerCode, AppErrorCode> = true;
export const details: Same<ServerDetails, AppErrorDetails> = true;
export const events: Same<ServerAsk, AskEvent> = true;
export const progress: Same<ServerProgress, IngestProgress> = true;
export const errorShape: Same<Server['_def']['_config']['$types']['errorShape'], AppRouter['_def']['_config']['$types']['errorShape']> = true;
`;

describe('the generated server types', { timeout: 180_000 }, () => {
  it('equal the server router types for every procedure input and output', () => {
    const generated = emitServerTypes();
    // A copy with one output field changed must fail the same check: the check is not vacuous.
    const drifted = generated.replace(/total_files: number;/, 'total_files: string;');
    expect(drifted).not.toBe(generated);
    for (const [name, text] of [
      ['exact', generated],
      ['drifted', drifted],
    ] as const) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'server-types.d.ts'), text);
      writeFileSync(join(dir, name, 'check.ts'), CHECK);
    }
    const base = ts.getParsedCommandLineOfConfigFile(
      resolve(import.meta.dirname, '../../tsconfig.json'),
      {},
      { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
    )!;
    const program = ts.createProgram([join(dir, 'exact/check.ts'), join(dir, 'drifted/check.ts')], {
      ...base.options,
      noEmit: true,
    });
    const errorsIn = (name: string) =>
      ts
        .getPreEmitDiagnostics(program, program.getSourceFile(join(dir, name, 'check.ts')))
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(errorsIn('exact')).toEqual([]);
    expect(errorsIn('drifted').join('\n')).toMatch(/files\.list/);
  });
});
