// Validates rendered Kubernetes objects (`kubectl kustomize <overlay>` on stdin, YAML documents)
// against the schemas the kubernetes-models packages compile from Kubernetes' OpenAPI, KEDA's and
// the Prometheus Operator's CRDs: types, required fields, enums and formats. Like those schemas
// (no additionalProperties: false), it does not reject unknown fields.
// Dapr's CRDs have no such package: their objects get a minimal shape check here (dapr-shape.mjs).
// An object of any other apiVersion/kind is an error, so nothing passes unchecked.
// Prints one line per object; exit code 1 when any object is invalid.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { checkDapr } from "./dapr-shape.mjs";

// apiVersion -> module exporting a model class per kind.
const modules = {
  "v1": "kubernetes-models/v1",
  "apps/v1": "kubernetes-models/apps/v1",
  "policy/v1": "kubernetes-models/policy/v1",
  "networking.k8s.io/v1": "kubernetes-models/networking.k8s.io/v1",
  "autoscaling/v2": "kubernetes-models/autoscaling/v2",
  "rbac.authorization.k8s.io/v1": "kubernetes-models/rbac.authorization.k8s.io/v1",
  "keda.sh/v1alpha1": "@kubernetes-models/keda/keda.sh/v1alpha1",
  "monitoring.coreos.com/v1": "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1",
};

const input = readFileSync(0, "utf8");
const docs = parseAllDocuments(input).map(d => d.toJS()).filter(o => o);
let failed = 0;
for (const obj of docs) {
  const id = `${obj.apiVersion}/${obj.kind} ${obj.metadata?.namespace ?? "-"}/${obj.metadata?.name}`;
  const problems = [];
  if (obj.apiVersion?.startsWith("dapr.io/")) {
    problems.push(...checkDapr(obj));
  } else if (!modules[obj.apiVersion]) {
    problems.push(`no schema for apiVersion ${obj.apiVersion}`);
  } else {
    const Model = (await import(modules[obj.apiVersion]))[obj.kind];
    if (!Model) {
      problems.push(`no schema for kind ${obj.kind} in ${obj.apiVersion}`);
    } else {
      try {
        new Model(obj).validate();
      } catch (e) {
        problems.push(e.message);
      }
    }
  }
  if (!obj.metadata?.name) problems.push("metadata.name is missing");
  if (problems.length) {
    failed++;
    console.log(`INVALID ${id}\n  ${problems.join("\n  ")}`);
  } else {
    console.log(`ok ${id}`);
  }
}
console.log(`${docs.length} objects, ${failed} invalid`);
process.exit(failed || docs.length === 0 ? 1 : 0);
