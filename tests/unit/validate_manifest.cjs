// Validates a Teams app manifest with Microsoft's own validator, the npm package
// @microsoft/app-manifest, against the JSON schema that package bundles for the manifest's
// version, so nothing is fetched from the network.
//
// Usage: node validate_manifest.cjs MANIFEST.json
// Prints {"schema": PATH, "errors": [...]} and exits 0 when the manifest is valid, 1 when it
// is not, 2 when it cannot be checked (no such schema in the package).
//
// The package requires fs-extra without declaring it, so package.json lists fs-extra too.
"use strict";

const fs = require("node:fs");
const path = require("node:path");

async function main(manifestPath) {
  // Required here, so that a missing node_modules is reported as "cannot check" (exit 2).
  const { AppManifestUtils } = require("@microsoft/app-manifest");
  const manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8"));
  const packageRoot = path.dirname(require.resolve("@microsoft/app-manifest/package.json"));
  const schemaPath = path.join(
    packageRoot,
    "build",
    "json-schemas",
    "teams",
    `v${manifest.manifestVersion}`,
    "MicrosoftTeams.schema.json",
  );
  if (!fs.existsSync(schemaPath)) {
    process.stderr.write(`no bundled schema for manifestVersion ${manifest.manifestVersion}\n`);
    return 2;
  }
  const schema = JSON.parse(fs.readFileSync(schemaPath, "utf8"));
  const errors = await AppManifestUtils.validateAgainstSchema(manifest, schema);
  process.stdout.write(JSON.stringify({ schema: schemaPath, errors }) + "\n");
  return errors.length === 0 ? 0 : 1;
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${error.stack || error}\n`);
    process.exit(2);
  },
);
