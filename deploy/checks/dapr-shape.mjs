// Minimal shape checks for Dapr's CRDs (no schema package exists): the fields daprd reads, with the
// types it expects (dapr/dapr pkg/apis/components/v1alpha1, configuration/v1alpha1,
// resiliency/v1alpha1 types.go).
const isString = v => typeof v === "string" && v.length > 0;
const isStringList = v => Array.isArray(v) && v.every(isString);

function component(o) {
  const p = [];
  const s = o.spec ?? {};
  if (!/^[a-z]+\.[a-z0-9.-]+$/.test(s.type ?? "")) p.push(`spec.type '${s.type}' is not <kind>.<name>`);
  if (!isString(s.version)) p.push("spec.version is missing");
  if (!Array.isArray(s.metadata)) p.push("spec.metadata must be a list");
  for (const m of s.metadata ?? []) {
    if (!isString(m.name)) p.push("spec.metadata[] without name");
    if (m.value !== undefined && typeof m.value !== "string") p.push(`spec.metadata ${m.name}: value must be a string (quote it)`);
    if (m.value === undefined && !m.secretKeyRef && !m.envRef) p.push(`spec.metadata ${m.name}: value, secretKeyRef or envRef needed`);
  }
  if (o.scopes !== undefined && !isStringList(o.scopes)) p.push("scopes must be a list of app ids");
  return p;
}

function configuration(o) {
  const p = [];
  const s = o.spec ?? {};
  const known = ["mtls", "accessControl", "secrets", "tracing", "metric", "metrics", "features", "httpPipeline", "appHttpPipeline", "api", "logging", "nameResolution", "components", "wasm", "workflow"];
  for (const k of Object.keys(s)) if (!known.includes(k)) p.push(`spec.${k} is not a Configuration field`);
  const acl = s.accessControl;
  if (acl) {
    if (!["allow", "deny"].includes(acl.defaultAction)) p.push("accessControl.defaultAction must be allow or deny");
    for (const pol of acl.policies ?? []) {
      if (!isString(pol.appId)) p.push("accessControl.policies[] without appId");
      for (const op of pol.operations ?? []) {
        if (!isString(op.name) || !["allow", "deny"].includes(op.action)) p.push(`policy ${pol.appId}: operation needs name and action`);
        if (op.httpVerb !== undefined && !isStringList(op.httpVerb)) p.push(`policy ${pol.appId}: httpVerb must be a list`);
      }
    }
  }
  for (const sc of s.secrets?.scopes ?? []) {
    if (!isString(sc.storeName)) p.push("secrets.scopes[] without storeName");
    if (sc.allowedSecrets !== undefined && !isStringList(sc.allowedSecrets)) p.push("allowedSecrets must be a list");
  }
  return p;
}

function resiliency(o) {
  const p = [];
  const pol = o.spec?.policies ?? {};
  const timeouts = Object.keys(pol.timeouts ?? {});
  const retries = Object.keys(pol.retries ?? {});
  for (const [name, r] of Object.entries(pol.retries ?? {})) {
    if (!["constant", "exponential"].includes(r.policy)) p.push(`retry ${name}: policy must be constant or exponential`);
    if (r.maxRetries !== undefined && !Number.isInteger(r.maxRetries)) p.push(`retry ${name}: maxRetries must be an integer`);
  }
  // Every target must name policies that exist.
  const refs = [];
  for (const t of Object.values(o.spec?.targets?.apps ?? {})) refs.push(t);
  for (const c of Object.values(o.spec?.targets?.components ?? {})) refs.push(c.inbound ?? {}, c.outbound ?? {});
  for (const t of refs) {
    if (t.timeout && !timeouts.includes(t.timeout)) p.push(`target names unknown timeout ${t.timeout}`);
    if (t.retry && !retries.includes(t.retry)) p.push(`target names unknown retry ${t.retry}`);
  }
  return p;
}

export function checkDapr(o) {
  switch (`${o.apiVersion}/${o.kind}`) {
    case "dapr.io/v1alpha1/Component": return component(o);
    case "dapr.io/v1alpha1/Configuration": return configuration(o);
    case "dapr.io/v1alpha1/Resiliency": return resiliency(o);
    default: return [`no shape check for ${o.apiVersion}/${o.kind}`];
  }
}
