// A schema file as Prisma 7 accepts it, with the same data model and line numbers.
//
// Prisma 7 refuses connection settings in a schema file (`url`, `directUrl`,
// `shadowDatabaseUrl` moved to prisma.config.ts), but the services' Prisma 5/6 files
// have them; they say nothing about the data model, so they are blanked. With
// `dropGenerators`, generator blocks are blanked too (dmmf.js adds its own).
// What is removed becomes empty lines, so Prisma's messages point at the user's lines.
"use strict";

const CONNECTION_SETTING = /^[ \t]*(url|directUrl|shadowDatabaseUrl)\s*=.*$/gm;
const GENERATOR_BLOCK = /^[ \t]*generator\s+\w+\s*\{[^}]*\}/gm;
const DATASOURCE_BLOCK = /(datasource\s+\w+\s*\{)([^}]*)\}/m;

function blank(text) {
  return text.replace(/[^\n]/g, "");
}

function forPrisma7(source, { dropGenerators = false } = {}) {
  const withoutGenerators = dropGenerators ? source.replace(GENERATOR_BLOCK, blank) : source;
  return withoutGenerators.replace(DATASOURCE_BLOCK, (_, head, body) => {
    return head + body.replace(CONNECTION_SETTING, "") + "}";
  });
}

module.exports = { forPrisma7 };
