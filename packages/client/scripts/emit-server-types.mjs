// Writes the server's types the client needs as one self-contained declaration file: every input,
// output, event and error code spelled out structurally, with no import of @rag/core (or of zod,
// drizzle…). Declaration bundlers copy declarations, so they would drag the server's context type
// (its whole dependency graph) and zod's inferred aliases along; this asks the type checker instead.
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

import ts from 'typescript';

const PKG = join(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = join(PKG, 'src/server-types.ts');
const PROCEDURE = {
  query: 'TRPCQueryProcedure',
  mutation: 'TRPCMutationProcedure',
  subscription: 'TRPCSubscriptionProcedure',
};

export function emitServerTypes() {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(PKG, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  const program = ts.createProgram([ENTRY], config.options);
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(ENTRY);
  const exports = checker.getExportsOfModule(checker.getSymbolAtLocation(source));
  const declared = (name) => {
    const sym = exports.find((s) => s.name === name);
    if (!sym) throw new Error(`src/server-types.ts does not export ${name}`);
    return checker.getDeclaredTypeOfSymbol(checker.getAliasedSymbol(sym));
  };
  const prop = (type, name) => {
    const p = checker.getPropertyOfType(type, name);
    if (!p) throw new Error(`missing property ${name} on ${checker.typeToString(type)}`);
    return checker.getTypeOfSymbol(p);
  };
  const isDefaultLib = (sym) =>
    sym?.declarations?.length > 0 &&
    sym.declarations.some((d) => program.isSourceFileDefaultLibrary(d.getSourceFile()));

  /** The type written out structurally; names only for the platform's own types (Date, FormData…). */
  function print(type, indent, stack = []) {
    if (stack.length > 40 || stack.includes(type)) {
      throw new Error(`recursive or too deep type: ${checker.typeToString(type)}`);
    }
    const inner = [...stack, type];
    const f = type.flags;
    if (f & ts.TypeFlags.Any) throw new Error('an `any` reached the client types');
    if (f & ts.TypeFlags.Unknown) return 'unknown';
    if (f & ts.TypeFlags.String) return 'string';
    if (f & ts.TypeFlags.Number) return 'number';
    if (f & ts.TypeFlags.Boolean) return 'boolean';
    if (f & ts.TypeFlags.BigInt) return 'bigint';
    if (f & ts.TypeFlags.Null) return 'null';
    if (f & ts.TypeFlags.Undefined) return 'undefined';
    if (f & ts.TypeFlags.Void) return 'void';
    if (f & ts.TypeFlags.Never) return 'never';
    if (f & ts.TypeFlags.NonPrimitive) return 'object';
    if (f & ts.TypeFlags.StringLiteral) return JSON.stringify(type.value);
    if (f & ts.TypeFlags.NumberLiteral) return String(type.value);
    if (f & ts.TypeFlags.BooleanLiteral) return checker.typeToString(type);
    if (f & ts.TypeFlags.Union) {
      let members = type.types;
      const bools = members.filter((m) => m.flags & ts.TypeFlags.BooleanLiteral);
      const parts = [];
      if (bools.length === 2) {
        members = members.filter((m) => !(m.flags & ts.TypeFlags.BooleanLiteral));
        parts.push('boolean');
      }
      return [...members.map((m) => wrap(m, indent, inner)), ...parts].join(' | ');
    }
    if (f & ts.TypeFlags.Intersection) {
      return type.types.map((m) => wrap(m, indent, inner)).join(' & ');
    }
    if (f & ts.TypeFlags.Object) return printObject(type, indent, inner);
    throw new Error(`cannot write type ${checker.typeToString(type)}`);
  }

  function wrap(type, indent, stack) {
    const s = print(type, indent, stack);
    return type.flags & (ts.TypeFlags.Union | ts.TypeFlags.Intersection) ? `(${s})` : s;
  }

  function printObject(type, indent, stack) {
    if (checker.isArrayType(type)) {
      const [elem] = checker.getTypeArguments(type);
      const ro = type.symbol?.name === 'ReadonlyArray' ? 'readonly ' : '';
      return `${ro}${wrap(elem, indent, stack)}[]`;
    }
    if (checker.isTupleType(type)) {
      const ro = type.target.readonly ? 'readonly ' : '';
      const args = checker.getTypeArguments(type).map((a) => print(a, indent, stack));
      return `${ro}[${args.join(', ')}]`;
    }
    const sym = type.aliasSymbol && isDefaultLib(type.aliasSymbol) ? null : type.symbol;
    if (sym && isDefaultLib(sym) && !sym.name.startsWith('__')) {
      const args =
        type.objectFlags & ts.ObjectFlags.Reference ? checker.getTypeArguments(type) : [];
      // A platform type's own `any` parameters (AsyncIterable's TNext) are its business, not ours.
      const arg = (a) => (a.flags & ts.TypeFlags.Any ? 'any' : print(a, indent, stack));
      return args.length ? `${sym.name}<${args.map(arg).join(', ')}>` : sym.name;
    }
    if (type.getCallSignatures().length || type.getConstructSignatures().length) {
      throw new Error(`functions cannot cross the wire: ${checker.typeToString(type)}`);
    }
    const pad = `${indent}  `;
    const lines = [];
    for (const info of checker.getIndexInfosOfType(type)) {
      lines.push(
        `${pad}[key: ${print(info.keyType, pad, stack)}]: ${print(info.type, pad, stack)};`,
      );
    }
    for (const p of checker.getPropertiesOfType(type)) {
      const doc = ts.displayPartsToString(p.getDocumentationComment(checker)).trim();
      if (doc) lines.push(`${pad}/** ${doc.replace(/\*\//g, '*\\/').replace(/\n/g, ` ${pad}`)} */`);
      const name = /^[A-Za-z_$][\w$]*$/.test(p.name) ? p.name : JSON.stringify(p.name);
      const optional = p.flags & ts.SymbolFlags.Optional ? '?' : '';
      lines.push(`${pad}${name}${optional}: ${print(checker.getTypeOfSymbol(p), pad, stack)};`);
    }
    return lines.length ? `{\n${lines.join('\n')}\n${indent}}` : '{}';
  }

  function printRecord(record, indent) {
    const pad = `${indent}  `;
    const lines = [];
    for (const p of checker.getPropertiesOfType(record)) {
      const t = checker.getTypeOfSymbol(p);
      const doc = ts.displayPartsToString(p.getDocumentationComment(checker)).trim();
      if (doc) lines.push(`${pad}/** ${doc.replace(/\n/g, ` `)} */`);
      const def = checker.getPropertyOfType(t, '_def');
      const kind = def && checker.getPropertyOfType(checker.getTypeOfSymbol(def), 'type');
      if (!kind) {
        lines.push(`${pad}${p.name}: ${printRecord(t, pad)};`);
        continue;
      }
      const defType = checker.getTypeOfSymbol(def);
      const k = checker.getTypeOfSymbol(kind).value;
      if (!PROCEDURE[k]) throw new Error(`unknown procedure type ${k} at ${p.name}`);
      const types = prop(defType, '$types');
      const inner = `${pad}  `;
      lines.push(
        `${pad}${p.name}: ${PROCEDURE[k]}<{\n` +
          `${inner}input: ${print(prop(types, 'input'), inner)};\n` +
          `${inner}output: ${print(prop(types, 'output'), inner)};\n` +
          `${inner}meta: object;\n${inner}errorShape: ErrorShape;\n${pad}}>;`,
      );
    }
    return `{\n${lines.join('\n')}\n${indent}}`;
  }

  const router = declared('AppRouter');
  const routerDef = prop(router, '_def');
  const root = prop(prop(routerDef, '_config'), '$types');
  const named = [
    'AppErrorCode',
    'AppErrorDetails',
    'IngestStage',
    'IngestProgress',
    'AskEvent',
  ].map((name) => `export type ${name} = ${print(declared(name), '')};`);
  return [
    "// Generated from the server's router by scripts/emit-server-types.mjs at build time. Do not edit.",
    "import type { TRPCBuiltRouter, TRPCMutationProcedure, TRPCQueryProcedure, TRPCSubscriptionProcedure } from '@trpc/server';",
    '',
    ...named,
    `/** The body of every error the server sends (\`data.appCode\` is the domain's code). */`,
    `export type ErrorShape = ${print(prop(root, 'errorShape'), '')};`,
    "/** The whole API as the client sees it (the server's context stays on the server). */",
    `export type AppRouter = TRPCBuiltRouter<{ ctx: object; meta: object; errorShape: ErrorShape; transformer: true }, ${printRecord(prop(routerDef, 'record'), '')}>;`,
    '',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.stdout.write(emitServerTypes());
