// Checks a report.fhir.json Bundle: (1) the FHIR R4 JSON schema (the Bundle and every resource),
// (2) the required elements of the Genomics Reporting IG 3.0.0 profiles each resource claims, and
// (3) that every reference resolves inside the Bundle. Prints one line per problem; exit 1 if any.
// Usage: node fhir_ig_checks.js VALIDATOR_PACKAGE_DIR BUNDLE.json
'use strict';
const fs = require('fs');
const [packageDir, bundlePath] = process.argv.slice(2);
const Validator = require(packageDir);
const bundle = JSON.parse(fs.readFileSync(bundlePath, 'utf8'));
const problems = [];
const problem = (where, what) => problems.push(`${where}: ${what}`);

// 1. JSON schema.
const validator = new Validator();
for (const error of validator.validate(JSON.parse(JSON.stringify(bundle))))
  problem('Bundle', `schema: ${error.dataPath || error.instancePath || ''} ${error.message || error}`);
for (const entry of bundle.entry || []) {
  for (const error of validator.validate(JSON.parse(JSON.stringify(entry.resource))))
    problem(`${entry.resource.resourceType}/${entry.resource.id}`,
            `schema: ${error.dataPath || error.instancePath || ''} ${error.message || error}`);
}

// 2. Profiles.
const IG = 'http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition/';
const LOINC = 'http://loinc.org';
const TBD = 'http://hl7.org/fhir/uv/genomics-reporting/CodeSystem/tbd-codes-cs';
const byUrl = new Map((bundle.entry || []).map(e => [e.fullUrl, e.resource]));
const codes = concept => ((concept && concept.coding) || []).map(c => `${c.system}|${c.code}`);
const hasCode = (concept, system, code) => codes(concept).includes(`${system}|${code}`);
const component = (r, system, code) => (r.component || []).filter(c => hasCode(c.code, system, code));
const resolve = ref => ref && byUrl.get(ref.reference);
const profileOf = r => ((r.meta && r.meta.profile) || []).map(p => p.replace(IG, ''));

for (const entry of bundle.entry || []) {
  const r = entry.resource;
  const where = `${r.resourceType}/${r.id}`;
  if (r.resourceType === 'Observation') {
    for (const key of ['status', 'code', 'subject', 'category'])
      if (!r[key]) problem(where, `${key} is required`);
    const categories = (r.category || []).flatMap(codes);
    if (!categories.includes('http://terminology.hl7.org/CodeSystem/observation-category|laboratory'))
      problem(where, 'category: laboratory slice missing');
    if (!categories.includes('http://terminology.hl7.org/CodeSystem/v2-0074|GE'))
      problem(where, 'category: GE slice missing');
    if (r.valueCodeableConcept && r.dataAbsentReason) problem(where, 'obs-6: value and dataAbsentReason together');
    for (const p of profileOf(r)) {
      if (p === 'genotype') {
        if (!hasCode(r.code, LOINC, '84413-4')) problem(where, 'genotype: code must be 84413-4');
        if (!r.valueCodeableConcept && !r.dataAbsentReason) problem(where, 'genotype: value or dataAbsentReason required');
        if (!(r.derivedFrom || []).length) problem(where, 'genotype: derivedFrom Variant/Haplotype Observations missing');
        for (const ref of r.derivedFrom || []) {
          const source = resolve(ref);
          if (!source || !['variant', 'haplotype'].some(x => profileOf(source).includes(x)))
            problem(where, `genotype: derivedFrom ${ref.reference} is not a Variant or Haplotype`);
        }
      } else if (p === 'variant') {
        if (!hasCode(r.code, LOINC, '69548-6')) problem(where, 'variant: code must be 69548-6');
        const value = codes(r.valueCodeableConcept);
        if (!['LA9633-4', 'LA9634-2', 'LA18198-4', 'LA11884-6'].some(c => value.includes(`${LOINC}|${c}`)))
          problem(where, 'variant: value must be Present/Absent/No call/Indeterminate (LL1971-2)');
        for (const [code, name] of [['69547-8', 'ref-allele'], ['69551-0', 'alt-allele'], ['92822-6', 'coordinate-system'],
                                    ['81254-5', 'exact-start-end'], ['48013-7', 'genomic-ref-seq']])
          if (component(r, LOINC, code).length !== 1) problem(where, `variant: one ${name} component expected`);
        if (hasCode(r.valueCodeableConcept, LOINC, 'LA9633-4') && component(r, LOINC, '53034-5').length !== 1)
          problem(where, 'variant: a present variant needs its allelic state');
      } else if (p === 'haplotype') {
        if (!hasCode(r.code, LOINC, '84414-2')) problem(where, 'haplotype: code must be 84414-2');
        if (!r.valueCodeableConcept) problem(where, 'haplotype: value required');
      } else if (p === 'therapeutic-implication') {
        if (!hasCode(r.code, TBD, 'therapeutic-implication')) problem(where, 'therapeutic-implication: code');
        if (Object.keys(r).some(k => k.startsWith('value'))) problem(where, 'therapeutic-implication: value[x] is 0..0');
        if (!(r.derivedFrom || []).length) problem(where, 'therapeutic-implication: derivedFrom 1..* missing');
        if (!component(r, LOINC, '51963-7').length) problem(where, 'therapeutic-implication: medication-assessed missing');
        for (const c of r.component || []) {
          if (codes(c.code).some(x => x.endsWith('|predicted-therapeutic-implication')))
            problem(where, 'component code predicted-therapeutic-implication does not exist in IG 3.0.0');
          if (hasCode(c.code, TBD, 'therapeutic-implication') && !c.valueCodeableConcept)
            problem(where, 'component[therapeutic-implication] needs valueCodeableConcept');
        }
      }
    }
  } else if (r.resourceType === 'DiagnosticReport') {
    if (!profileOf(r).includes('genomic-report')) problem(where, 'profile genomic-report expected');
    if (!hasCode(r.code, LOINC, '51969-4')) problem(where, 'genomic-report: code must be 51969-4');
    for (const key of ['status', 'code', 'subject', 'issued', 'result'])
      if (!r[key]) problem(where, `${key} is required`);
  }
}
// Patient.gender when the report knows the sex; performer Organization when it names the lab.
const patient = (bundle.entry || []).map(e => e.resource).find(r => r.resourceType === 'Patient');
const organization = (bundle.entry || []).map(e => e.resource).find(r => r.resourceType === 'Organization');
if (!patient) problem('Bundle', 'no Patient');
for (const entry of bundle.entry || []) {
  const r = entry.resource;
  if (organization && (r.resourceType === 'Observation' || r.resourceType === 'DiagnosticReport') &&
      !(r.performer || []).some(p => resolve(p) === organization))
    problem(`${r.resourceType}/${r.id}`, 'performer: the laboratory Organization missing');
}

// 3. References resolve inside the Bundle.
const walk = (node, where) => {
  if (Array.isArray(node)) return node.forEach(n => walk(n, where));
  if (node && typeof node === 'object') {
    if (typeof node.reference === 'string' && !byUrl.has(node.reference)) problem(where, `unresolved ${node.reference}`);
    Object.values(node).forEach(n => walk(n, where));
  }
};
for (const entry of bundle.entry || []) walk(entry.resource, `${entry.resource.resourceType}/${entry.resource.id}`);

for (const p of problems) console.log(p);
console.log(`${bundlePath}: ${bundle.entry.length} resources, ${problems.length} problems`);
process.exit(problems.length ? 1 : 0);
