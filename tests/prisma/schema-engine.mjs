#!/usr/bin/env node
// Prisma's schema engine (the WebAssembly build, run by Node) as a command:
//
//   node schema-engine.mjs diff --from-empty --to-schema B.prisma
//   node schema-engine.mjs diff --from-schema A.prisma --to-schema B.prisma
//
// prints the SQL script `prisma migrate diff --script` would print. A diff between two
// schema files needs no database: the engine compares the two data models it renders
// for PostgreSQL. It still wants a driver adapter to be handed in, so it gets the pg
// adapter for a URL it never opens.
//
// Why not `prisma migrate diff`: in Prisma 7 that command needs the native schema
// engine binary, which the CLI downloads; the WebAssembly engine needs nothing.
//
// Exit 0 with the script; exit 2 with the engine's message when a schema is invalid.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const { forPrisma7 } = require("./schema-source.js");
const HERE = path.dirname(fileURLToPath(import.meta.url));

async function loadEngine() {
  const root = path.join(HERE, "node_modules", "@prisma", "schema-engine-wasm");
  const bindings = await import(path.join(root, "schema_engine_bg.js"));
  const bytes = fs.readFileSync(path.join(root, "schema_engine_bg.wasm"));
  const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": bindings });
  bindings.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return bindings.SchemaEngine;
}

function target(kind, file) {
  if (kind === "empty") return { tag: "empty" };
  const content = forPrisma7(fs.readFileSync(file, "utf8"));
  return { tag: "schemaDatamodel", files: [{ path: path.resolve(file), content }] };
}

// A PostgreSQL driver adapter with no server behind it. The engine connects when it
// starts and asks which server it talks to; it is told PostgreSQL 15 (what gxschema
// supports). A diff of two schema files sends no other query; one that did would fail
// with this message instead of reaching some database.
const SERVER_PROBE = /^SELECT EXISTS\(SELECT 1 FROM pg_namespace WHERE nspname = \$1\), version\(\)/;
const COLUMN = { int32: 0, boolean: 5, text: 7 };

function offlinePostgres() {
  const { PrismaPg } = require("@prisma/adapter-pg");
  const adapterName = new PrismaPg({}).adapterName;
  const refuse = async (query) => {
    throw new Error(`offline: the schema engine asked the database: ${query.sql ?? query}`);
  };
  const queryRaw = async (query) => {
    if (!SERVER_PROBE.test(query.sql)) return refuse(query);
    return {
      columnNames: ["exists", "version", "numeric_version"],
      columnTypes: [COLUMN.boolean, COLUMN.text, COLUMN.int32],
      rows: [[true, "PostgreSQL 15.0 (offline)", 150000]],
    };
  };
  const connection = {
    provider: "postgres",
    adapterName,
    queryRaw,
    executeRaw: refuse,
    executeScript: refuse,
    startTransaction: refuse,
    getConnectionInfo: () => ({ schemaName: "public", supportsRelationJoins: true }),
    dispose: async () => {},
  };
  return {
    provider: "postgres",
    adapterName,
    connect: async () => connection,
    connectToShadowDb: async () => connection,
  };
}

function parseArguments(argv) {
  const [command, ...rest] = argv;
  const sides = {};
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i];
    if (word === "--from-empty") sides.from = ["empty"];
    else if (word === "--to-empty") sides.to = ["empty"];
    else if (word === "--from-schema") sides.from = ["schema", rest[++i]];
    else if (word === "--to-schema") sides.to = ["schema", rest[++i]];
    else throw new Error(`unknown argument ${word}`);
  }
  if (command !== "diff" || !sides.from || !sides.to) {
    throw new Error("usage: schema-engine.mjs diff (--from-empty|--from-schema A) (--to-empty|--to-schema B)");
  }
  return sides;
}

async function main() {
  let sides;
  try {
    sides = parseArguments(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  const { bindMigrationAwareSqlAdapterFactory } = require("@prisma/driver-adapter-utils");
  const SchemaEngine = await loadEngine();
  const adapter = bindMigrationAwareSqlAdapterFactory(offlinePostgres());
  const logs = [];
  const engine = await SchemaEngine.new({ datamodels: undefined }, (line) => logs.push(line), adapter);
  try {
    const result = await engine.diff({
      from: target(...sides.from),
      to: target(...sides.to),
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    process.stdout.write(result.stdout ?? "");
  } catch (error) {
    process.stderr.write(`${error.message ?? error}\n`);
    process.exitCode = 2;
  } finally {
    engine.free();
  }
}

main();
