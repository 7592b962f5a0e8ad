#!/usr/bin/env node
// A Prisma generator that writes the full DMMF (Prisma's parsed data model) as JSON.
//
// Prisma runs a generator as a child process and talks JSON-RPC to it on stdio;
// `generatorHandler` speaks that protocol. The Prisma 7 client only keeps a slimmed
// `Prisma.dmmf`, so this is the one place the complete model (native types, index
// names, relation actions) is visible to a tool. The output file is the generator's
// `output` setting.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { generatorHandler } = require("@prisma/generator-helper");

generatorHandler({
  onManifest() {
    return { prettyName: "gxschema DMMF dump", defaultOutput: "dmmf.json", requiresGenerators: [] };
  },
  async onGenerate(options) {
    const target = options.generator.output.value;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, JSON.stringify({ datamodel: options.dmmf.datamodel }, null, 1));
  },
});
