#!/usr/bin/env node
// Uses a generated Prisma Client (7, with the pg driver adapter) on every model of a
// database, the way a TypeScript service would, and prints what happened as JSON:
//
//   node client-exercise.js CLIENT_DIR DMMF_JSON DATABASE_URL
//
// CLIENT_DIR is the output of `prisma generate` (prisma-client-js) for the schema;
// DMMF_JSON the full DMMF of that schema (from dmmf.js), which says which fields each
// model has. For each model, parents first: create a row with every scalar set (ids
// with an application default left to Prisma), read it back with every relation
// included, update a field, upsert it (update branch, then create branch after a
// delete), and set each enum field to every value of its enum. Then the rows are
// deleted, children first. Last, a duplicate unique value and a dangling foreign key
// must give Prisma's own error codes (P2002, P2003).
//
// Nothing is asserted here: the test reads the JSON. A step that throws is recorded
// with its error and the next model goes on, so one run reports every failure.
"use strict";

const path = require("node:path");

const [clientDir, dmmfPath, databaseUrl] = process.argv.slice(2);
const datamodel = require(path.resolve(dmmfPath)).datamodel;
const { PrismaClient } = require(path.resolve(clientDir));
const { PrismaPg } = require("@prisma/adapter-pg");

const enums = Object.fromEntries(datamodel.enums.map((e) => [e.name, e.values.map((v) => v.name)]));
const models = Object.fromEntries(datamodel.models.map((m) => [m.name, m]));
let counter = 0;

function delegate(prisma, model) {
  return prisma[model.name[0].toLowerCase() + model.name.slice(1)];
}

// Parents before children, by the relations whose foreign key a model holds.
function inDependencyOrder() {
  const done = [];
  const seen = new Set();
  const visit = (name) => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const field of models[name].fields) {
      if (field.kind === "object" && field.relationFromFields?.length && field.type !== name) {
        visit(field.type);
      }
    }
    done.push(name);
  };
  Object.keys(models).forEach(visit);
  return done;
}

function value(field) {
  counter += 1;
  if (field.kind === "enum") return enums[field.type][0];
  const native = field.nativeType?.[0];
  switch (field.type) {
    case "String":
      if (native === "Char") {
        const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        return "Q" + letters[counter % 26];
      }
      return `${field.name}-${counter}`;
    case "Int":
      return counter % 100;
    case "BigInt":
      return BigInt(counter);
    case "Decimal":
      return "0.5";
    case "Float":
      return 0.5;
    case "Boolean":
      return true;
    case "DateTime":
      return new Date(Date.UTC(2026, 0, 1 + (counter % 28)));
    case "Json":
      return { n: counter };
    case "Bytes":
      return Buffer.from([counter % 256]);
    default:
      throw new Error(`no test value for ${field.type}`);
  }
}

// The foreign key columns of a model, each with the parent column it takes its value from.
function foreignKeys(model) {
  const keys = {};
  for (const field of model.fields) {
    if (field.kind !== "object" || !field.relationFromFields?.length) continue;
    field.relationFromFields.forEach((column, i) => {
      keys[column] = { parent: field.type, column: field.relationToFields[i] };
    });
  }
  return keys;
}

function rowData(model, parents) {
  const keys = foreignKeys(model);
  const data = {};
  for (const field of model.fields) {
    if (field.kind === "object" || field.isUpdatedAt) continue;
    if (keys[field.name]) {
      data[field.name] = parents[keys[field.name].parent][keys[field.name].column];
    } else if (field.isId && field.hasDefaultValue) {
      continue; // uuid() / cuid(): Prisma makes the id
    } else if (field.isList) {
      data[field.name] = [value(field), value(field)];
    } else {
      data[field.name] = value(field);
    }
  }
  return data;
}

function whereOf(model, row) {
  if (model.primaryKey) {
    const fields = model.primaryKey.fields;
    const key = model.primaryKey.name || fields.join("_");
    return { [key]: Object.fromEntries(fields.map((f) => [f, row[f]])) };
  }
  const id = model.fields.find((f) => f.isId);
  return { [id.name]: row[id.name] };
}

// A plain scalar to change: not a key, not unique, not a foreign key, not an enum.
function changeable(model) {
  const keys = foreignKeys(model);
  return model.fields.find(
    (f) =>
      f.kind === "scalar" &&
      !f.isId &&
      !f.isUnique &&
      !f.isList &&
      !f.isUpdatedAt &&
      !keys[f.name] &&
      !(model.primaryKey?.fields ?? []).includes(f.name) &&
      !model.uniqueFields.some((u) => u.includes(f.name)) &&
      ["String", "Int", "Boolean", "Decimal", "DateTime", "BigInt", "Json"].includes(f.type),
  );
}

function plain(row) {
  return JSON.parse(
    JSON.stringify(row, (_, v) => (typeof v === "bigint" ? v.toString() : v)),
  );
}

async function exercise(prisma, model, parents, report) {
  const table = delegate(prisma, model);
  const result = (report.models[model.name] = { steps: [] });
  const step = async (name, action) => {
    try {
      const outcome = await action();
      result.steps.push(name);
      return outcome;
    } catch (error) {
      result.error = `${name}: ${error.code ?? ""} ${String(error.message).split("\n").slice(-3).join(" ")}`;
      throw error;
    }
  };
  const data = rowData(model, parents);
  const created = await step("create", () => table.create({ data }));
  parents[model.name] = created;
  const where = whereOf(model, created);

  const relations = model.fields.filter((f) => f.kind === "object").map((f) => f.name);
  const include = Object.fromEntries(relations.map((name) => [name, true]));
  const read = await step("read", () =>
    table.findUnique(relations.length ? { where, include } : { where }),
  );
  result.relations = relations;
  result.loadedParents = model.fields
    .filter((f) => f.kind === "object" && f.relationFromFields?.length && read[f.name] !== null)
    .map((f) => f.name);
  result.readMatches =
    read !== null &&
    Object.keys(data).every((k) => JSON.stringify(plain(read[k])) === JSON.stringify(plain(created[k])));

  const field = changeable(model);
  if (field) {
    const next = value(field);
    const updated = await step("update", () =>
      table.update({ where, data: { [field.name]: next } }),
    );
    result.updatedField = field.name;
    result.updateStuck =
      JSON.stringify(plain(updated[field.name])) === JSON.stringify(plain(next));
  }
  await step("upsert-update", () => table.upsert({ where, create: data, update: {} }));
  for (const enumField of model.fields.filter((f) => f.kind === "enum" && !f.isList)) {
    for (const label of enums[enumField.type]) {
      await step(`enum ${enumField.name}=${label}`, () =>
        table.update({ where, data: { [enumField.name]: label } }),
      );
      (report.enumValues[enumField.type] ??= new Set()).add(label);
    }
  }
}

// A row as read back, as create input (the scalars; updatedAt is Prisma's).
function stripRelations(model, row) {
  return Object.fromEntries(
    model.fields
      .filter((f) => f.kind !== "object" && !f.isUpdatedAt)
      .map((f) => [f.name, row[f.name]]),
  );
}

async function expectError(action) {
  try {
    await action();
    return null;
  } catch (error) {
    return error.code ?? String(error.message);
  }
}

async function main() {
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
  const report = { models: {}, enumValues: {}, errors: {} };
  const parents = {};
  const order = inDependencyOrder();
  try {
    for (const name of order) {
      try {
        await exercise(prisma, models[name], parents, report);
      } catch {
        // recorded in report.models[name].error
      }
    }
    // Every row exists now: read each again with all its relations, both sides.
    for (const name of order) {
      const model = models[name];
      if (!parents[name]) continue;
      const relations = model.fields.filter((f) => f.kind === "object").map((f) => f.name);
      if (!relations.length) continue;
      const include = Object.fromEntries(relations.map((r) => [r, true]));
      try {
        const read = await delegate(prisma, model).findUnique({
          where: whereOf(model, parents[name]),
          include,
        });
        report.models[name].loadedRelations = relations.filter(
          (r) => read[r] !== null && !(Array.isArray(read[r]) && read[r].length === 0),
        );
      } catch (error) {
        report.models[name].error = `read all relations: ${error.code ?? ""} ${error.message}`;
      }
    }
    // A unique violation and a dangling foreign key, on UserProfile-like models: the
    // first model with a single-field unique, and the first with a required parent.
    const uniqueModel = order.find((n) => parents[n] && models[n].fields.some((f) => f.isUnique));
    if (uniqueModel) {
      const model = models[uniqueModel];
      const field = model.fields.find((f) => f.isUnique);
      const data = rowData(model, parents);
      data[field.name] = parents[uniqueModel][field.name];
      report.errors.unique = { model: uniqueModel, field: field.name };
      report.errors.unique.code = await expectError(() => delegate(prisma, model).create({ data }));
    }
    const childModel = order.find(
      (n) => parents[n] && models[n].fields.some((f) => f.relationFromFields?.length && f.isRequired),
    );
    if (childModel) {
      const model = models[childModel];
      const relation = model.fields.find((f) => f.relationFromFields?.length && f.isRequired);
      const data = rowData(model, parents);
      const referenced = models[relation.type].fields.find(
        (f) => f.name === relation.relationToFields[0],
      );
      // Lower case: no code this script makes for a character(2) key looks like that.
      data[relation.relationFromFields[0]] =
        referenced.nativeType?.[0] === "Char" ? "zz" : "no-such-parent";
      report.errors.foreignKey = { model: childModel, field: relation.relationFromFields[0] };
      report.errors.foreignKey.code = await expectError(() => delegate(prisma, model).create({ data }));
    }
    // Children first: delete each row, bring it back through upsert's create branch,
    // and delete it again; the table must then be empty.
    for (const name of [...order].reverse()) {
      const model = models[name];
      const row = parents[name];
      if (!row) continue;
      const table = delegate(prisma, model);
      const where = whereOf(model, row);
      const result = report.models[name];
      try {
        await table.delete({ where });
        await table.upsert({ where, create: stripRelations(model, row), update: {} });
        result.steps.push("upsert-create");
        await table.delete({ where });
        result.steps.push("delete");
        result.goneAfterDelete = (await table.findUnique({ where })) === null;
      } catch (error) {
        result.error = `delete/upsert-create: ${error.code ?? ""} ${error.message}`;
      }
    }
  } finally {
    await prisma.$disconnect();
  }
  report.enumValues = Object.fromEntries(
    Object.entries(report.enumValues).map(([k, v]) => [k, [...v]]),
  );
  process.stdout.write(JSON.stringify(report, null, 1));
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
