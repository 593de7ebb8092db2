// Backstage's own entity validation, as its catalog runs it on every entity it ingests:
// the default policies (namespace, field formats, no foreign root fields, the entity
// envelope schema) and the kind's own validator (System, Component, Resource, API).
// Reads a JSON array of entities on stdin; prints [{name, kind, ok, error}] as JSON.
// Usage: node tests/backstage_validate.js PATH_TO_@backstage/catalog-model < entities.json
const model = require(process.argv[2]);
const policies = model.EntityPolicies.allOf([
  new model.DefaultNamespaceEntityPolicy(),
  new model.FieldFormatEntityPolicy(),
  new model.NoForeignRootFieldsEntityPolicy(),
  new model.SchemaValidEntityPolicy(),
]);
const validators = [
  model.systemEntityV1alpha1Validator,
  model.componentEntityV1alpha1Validator,
  model.resourceEntityV1alpha1Validator,
  model.apiEntityV1alpha1Validator,
];
let input = '';
process.stdin.on('data', d => { input += d; });
process.stdin.on('end', async () => {
  const out = [];
  for (const entity of JSON.parse(input)) {
    const row = { name: entity?.metadata?.name, kind: entity?.kind, ok: false, error: null };
    try {
      const checked = await policies.enforce(entity);
      let matched = false;
      for (const v of validators) {
        if (await v.check(checked)) { matched = true; break; }
      }
      if (!matched) throw new Error(`no validator accepts kind ${entity.kind}`);
      for (const ref of [].concat(checked.spec?.dependsOn || [], checked.spec?.providesApis || [], checked.spec?.consumesApis || [])) {
        model.parseEntityRef(ref);
      }
      row.ok = true;
    } catch (e) {
      row.error = String(e && e.message || e);
    }
    out.push(row);
  }
  process.stdout.write(JSON.stringify(out));
});
