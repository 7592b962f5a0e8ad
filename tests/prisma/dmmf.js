#!/usr/bin/env node
// Prints Prisma's DMMF of a schema.prisma as JSON on stdout:
//
//   node dmmf.js path/to/schema.prisma
//
// The schema is copied with its generator blocks replaced by dmmf-generator.js and
// its datasource's connection settings (`url`, `directUrl`, `shadowDatabaseUrl`,
// which Prisma 7 refuses in a schema file) removed, then `prisma generate` runs on
// the copy. Neither changes the data model. `generate` needs no database and no
// native engine: PRISMA_SCHEMA_ENGINE_BINARY is pointed at an executable that is
// never run, so the CLI does not try to download one.
//
// Exit 0 with the JSON; exit 2 with Prisma's own message on stderr when the schema
// does not parse or validate.
"use strict";

const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { spawnSync } = require("node:child_process");
const { forPrisma7 } = require("./schema-source.js");

const HERE = __dirname;

function main() {
  const schemaPath = process.argv[2];
  if (!schemaPath) {
    process.stderr.write("usage: node dmmf.js SCHEMA.prisma\n");
    process.exit(2);
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "gxschema-dmmf-"));
  try {
    const out = path.join(work, "dmmf.json");
    const generator = path.join(HERE, "dmmf-generator.js");
    const schema =
      forPrisma7(fs.readFileSync(schemaPath, "utf8"), { dropGenerators: true }) +
      `\ngenerator gxschema_dmmf {\n  provider = ${JSON.stringify("node " + generator)}\n  output = ${JSON.stringify(out)}\n}\n`;
    const copy = path.join(work, "schema.prisma");
    fs.writeFileSync(copy, schema);
    const cli = path.join(HERE, "node_modules", "prisma", "build", "index.js");
    const run = spawnSync(process.execPath, [cli, "generate", "--schema", copy], {
      cwd: work,
      encoding: "utf8",
      env: {
        ...process.env,
        PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || process.execPath,
        PRISMA_HIDE_UPDATE_MESSAGE: "1",
        CHECKPOINT_DISABLE: "1",
        NO_COLOR: "1",
      },
    });
    if (run.status !== 0 || !fs.existsSync(out)) {
      const message = ((run.stderr || "") + (run.stdout || ""))
        .split("\n")
        .filter((line) => !line.startsWith("Prisma schema loaded from"))
        .join("\n")
        .replaceAll(copy, schemaPath)
        .replace(/(-->\s+)schema\.prisma:/g, `$1${schemaPath}:`);
      process.stderr.write(message);
      process.exit(2);
    }
    process.stdout.write(fs.readFileSync(out, "utf8"));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main();
