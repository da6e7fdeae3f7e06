#!/usr/bin/env node
/**
 * Issue 14, item 3 and 4: moves the code into the layout docs/architecture.md describes, with
 * `git mv`, and rewrites every relative import to the new paths. Run it at the repository root:
 *
 *   node scripts/restructure-14.mjs            # apply
 *   node scripts/restructure-14.mjs --dry-run  # print the plan only
 *
 * It is rule-based (folder and name patterns, not a list of today's files), so files added since it
 * was written land somewhere sensible, and idempotent: a second run finds nothing to move. It
 * prints every file it could not classify (left where it is) and every import it could not
 * rewrite. Afterwards: `npx tsc -p tsconfig.json && npx eslint . && npm run deps`.
 *
 * Layout:
 *   ports/inbound/<area>/*.port.ts       contracts: requests, reports, the use-case interfaces
 *   ports/inbound/*.port.ts              the facades every surface calls (Assistant, PatchOperations)
 *   ports/use-cases/<area>/*.use-case.ts implementations; helpers beside them; shared/ for helpers
 *                                        of several areas
 *   areas: assessment, patching, acceptances, audit, reports
 * A `*.use-case.ts` file is split: its exported types and literal constants (the contract) go to
 * the port file, the rest (the class) to the use-case file. The domain's grab-bag files are renamed
 * after what they hold, and risk/ no longer imports patch/ (asset-assessment.ts composes them).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const DRY = process.argv.includes('--dry-run');
const ROOT = process.cwd();
const CODE_DIRS = ['domain', 'ports', 'adapters', 'composition', 'infra', 'test', 'bench', 'scripts'];
const AREAS = ['assessment', 'patching', 'acceptances', 'audit', 'reports'];
const problems = [];
const notes = [];

// ---------------------------------------------------------------------------------------------
// Rules

/** The area a use case, contract or helper belongs to, from its file name. */
function areaOf(name) {
  const n = name.toLowerCase();
  if (/accept/.test(n)) return 'acceptances';
  if (/audit/.test(n)) return 'audit';
  if (/summar|report|metric|activity|compliance|look-back/.test(n)) return 'reports';
  if (/patch|schedule|run|wave|window|approv|reject|cancel|execut/.test(n)) return 'patching';
  if (/assess|finding|fleet|snapshot|capture|instance|kev|catalog|exploit/.test(n)) return 'assessment';
  return null;
}

const isTypeDecl = (s) => ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s);
const exported = (s) => !!s.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

/** An exported `const` whose value is a literal (numbers, strings, arrays of them): part of a contract. */
function isLiteralConst(s) {
  if (!ts.isVariableStatement(s) || !exported(s) || !(s.declarationList.flags & ts.NodeFlags.Const)) return false;
  return s.declarationList.declarations.every((d) => d.initializer && literalOnly(d.initializer));
}
function literalOnly(node) {
  if (ts.isIdentifier(node)) return false;
  if (ts.isTypeNode(node)) return true;
  let ok = true;
  node.forEachChild((c) => {
    if (ok && !literalOnly(c)) ok = false;
  });
  return ok;
}
/** The contract part of a mixed file: exported types and literal constants. */
const isContract = (s) => (isTypeDecl(s) && exported(s)) || isLiteralConst(s);

/** Files split declaration by declaration: old path -> (name, statement) -> new path. */
const BY_DECLARATION = {
  'ports/inbound/patch-operations.ts': {
    primary: 'ports/inbound/patching/patch-runs.port.ts',
    dest: (name) =>
      name === 'PatchOperations' ? 'ports/inbound/patch-operations.port.ts'
      : /Accept/.test(name) ? 'ports/inbound/acceptances/acceptances.port.ts'
      : /Audit/.test(name) ? 'ports/inbound/audit/audit.port.ts'
      : /Schedule/.test(name) ? 'ports/inbound/patching/schedules.port.ts'
      : null,
  },
  'ports/inbound/patch-support.ts': {
    primary: 'ports/use-cases/patching/run-records.ts',
    dest: (name) =>
      /^to[A-Z]\w*Report$/.test(name) ? 'ports/use-cases/shared/operation-reports.mapper.ts'
      : /^(audit|audited|authorizeAudited|Outcome)$/.test(name) ? 'ports/use-cases/shared/audited.ts'
      : /^(checkLimit|hex)$/.test(name) ? 'ports/use-cases/shared/request-checks.ts'
      : null,
  },
  // Item 4: one home per concept. risk/ scores findings; patch/decision.ts owns the decision;
  // asset-assessment.ts composes both into the asset's assessment.
  'domain/risk/types.ts': {
    primary: 'domain/risk/finding-assessment.ts',
    dest: (name) =>
      /^(DecisionKind|PatchDecision)$/.test(name) ? 'domain/patch/decision.ts'
      : name === 'AssetAssessment' ? 'domain/asset-assessment.ts'
      : null,
  },
  'domain/patch/types.ts': {
    primary: 'domain/patch/plan-model.ts',
    dest: (name) =>
      name === 'PatchedDecision' ? 'domain/patch/decision.ts'
      : name === 'ComplianceSummary' ? 'domain/patch/compliance.ts'
      : null,
  },
};

/** Files whose contract (exported types, literal constants) is split from the implementation. */
const CONTRACT_SPLITS = {
  'ports/inbound/assistant.ts': ['ports/inbound/assistant.port.ts', 'ports/use-cases/assistant.facade.ts'],
  'ports/inbound/reports.ts': ['ports/inbound/assessment/fleet-report.port.ts', 'ports/use-cases/assessment/fleet-report.mapper.ts'],
};

/** Whole-file moves and renames by exact name (helpers whose name says too little). */
const RENAMES = {
  'ports/inbound/patch-use-cases.ts': 'ports/use-cases/patching/patch-operations.facade.ts',
  'ports/inbound/dependencies.ts': 'ports/use-cases/shared/core-dependencies.ts',
  'ports/inbound/patch-dependencies.ts': 'ports/use-cases/patching/patch-dependencies.ts',
  'ports/inbound/warnings.ts': 'ports/use-cases/shared/warnings.ts',
  'ports/inbound/look-back.ts': 'ports/use-cases/reports/look-back.ts',
  'ports/inbound/fleet-reader.ts': 'ports/use-cases/assessment/fleet-reader.ts',
  'ports/inbound/cached-assistant.ts': 'ports/use-cases/cached-assistant.ts',
  'domain/inputs.ts': 'domain/fleet-facts.ts',
  'domain/risk/assess.ts': 'domain/asset-assessment.ts',
  'domain/activity/types.ts': 'domain/activity/review.ts',
  'domain/metrics/types.ts': 'domain/metrics/summary.ts',
};

/**
 * The plan for one file: null (stays), { to } (moves whole), or { primary, dest(name, stmt) }
 * (split: each top-level declaration goes to dest(...) ?? primary).
 */
function planFor(rel) {
  if (BY_DECLARATION[rel]) return BY_DECLARATION[rel];
  if (CONTRACT_SPLITS[rel]) {
    const [port, impl] = CONTRACT_SPLITS[rel];
    return { primary: impl, dest: (_n, s) => (isContract(s) ? port : null) };
  }
  if (RENAMES[rel]) return { to: RENAMES[rel], merge: existsSync(path.join(ROOT, RENAMES[rel])) };
  let m = /^ports\/inbound\/([^/]+)\.ts$/.exec(rel);
  if (m) {
    const base = m[1];
    if (base.endsWith('.port')) return null; // a root facade contract: stays
    const area = areaOf(base);
    if (base.endsWith('.use-case')) {
      const name = base.slice(0, -'.use-case'.length);
      const dir = area ? `${area}/` : '';
      if (!area) notes.push(`NO AREA for ${rel}: contract in ports/inbound/${name}.port.ts, use case in ports/use-cases/${name}.use-case.ts; move both into an area folder by hand (or add a pattern to areaOf and run again)`);
      const port = `ports/inbound/${dir}${name}.port.ts`;
      return { primary: `ports/use-cases/${dir}${name}.use-case.ts`, dest: (_n, s) => (isContract(s) ? port : null) };
    }
    if (!area) {
      notes.push(`NO AREA for ${rel}: taken for a helper, moved to ports/use-cases/shared/${base}.ts; check it is not a contract`);
      return { to: `ports/use-cases/shared/${base}.ts` };
    }
    notes.push(`classified by its name only: ${rel} -> ports/use-cases/${area}/${base}.ts (a helper; check it is not a contract)`);
    return { to: `ports/use-cases/${area}/${base}.ts` };
  }
  m = /^ports\/inbound\/([^/]+)\/([^/]+)\.ts$/.exec(rel);
  if (m && !AREAS.includes(m[1])) {
    // A sub-folder of ports/inbound that is not an area (e.g. patch/): by its name, then its folder's.
    const base = m[2];
    const area = areaOf(base.replace(/\.(use-case|port)$/, '')) ?? areaOf(m[1]);
    if (!area) return unclassified(rel);
    if (base.endsWith('.port')) return { to: `ports/inbound/${area}/${base}.ts` };
    return { to: `ports/use-cases/${area}/${base}.ts` };
  }
  m = /^test\/unit\/ports\/inbound\/(?:([^/]+)\/)?([^/]+)$/.exec(rel);
  if (m) {
    // Unit tests of use cases follow their subject: by the tested file's new folder, else by name.
    const [, sub, file] = m;
    const subject = file.replace(/\.spec\.ts$|\.ts$/, '');
    const target = sourceTargetDir(subject) ?? (sub ? areaOf(sub) ?? sub : areaOf(subject));
    return { to: target ? `test/unit/ports/use-cases/${target}/${file}` : `test/unit/ports/use-cases/${file}` };
  }
  // Domain unit tests follow a moved or renamed module.
  m = /^test\/unit\/(domain\/.+)\.spec\.ts$/.exec(rel);
  if (m) {
    const to = RENAMES[`${m[1]}.ts`];
    if (to && !existsSync(path.join(ROOT, 'test/unit', to.replace(/\.ts$/, '.spec.ts')))) return { to: `test/unit/${to.replace(/\.ts$/, '.spec.ts')}` };
  }
  return null;
}
function unclassified(rel) {
  problems.push(`UNCLASSIFIED (left in place): ${rel}`);
  return null;
}
/** The folder (below ports/use-cases/) where the use case or helper `subject` now lives. */
function sourceTargetDir(subject) {
  for (const cand of [`ports/inbound/${subject}.use-case.ts`, `ports/inbound/${subject}.ts`]) {
    const p = PLANS.get(cand);
    const to = p?.to ?? p?.primary;
    if (to?.startsWith('ports/use-cases/')) {
      const d = path.posix.dirname(to).slice('ports/use-cases/'.length);
      return d === '' ? null : d;
    }
  }
  const found = [...PLANS.values()].map((p) => p.to ?? p.primary).find((t) => t && path.posix.basename(t).replace(/\.(use-case|mapper|facade)?\.ts$/, '') === subject && t.startsWith('ports/use-cases/'));
  if (found) {
    const d = path.posix.dirname(found).slice('ports/use-cases/'.length);
    return d === '' ? null : d;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Reading the tree

function walk(dir, out) {
  for (const e of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.name === 'node_modules' || e.name === 'dist' || e.name.startsWith('.')) continue;
    if (e.isDirectory()) walk(rel, out);
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}
const FILES = CODE_DIRS.filter((d) => existsSync(path.join(ROOT, d))).flatMap((d) => walk(d, []));
const SOURCES = new Map(FILES.map((f) => [f, ts.createSourceFile(f, readFileSync(path.join(ROOT, f), 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)]));

/** Plans: whole moves first (the test rule looks at where sources go). */
const PLANS = new Map();
for (const f of FILES.filter((f) => !f.startsWith('test/'))) {
  const p = planFor(f);
  if (p) PLANS.set(f, p);
}
for (const f of FILES.filter((f) => f.startsWith('test/'))) {
  const p = planFor(f);
  if (p) PLANS.set(f, p);
}
for (const [f, p] of PLANS) if (p.to === f || p.primary === f) PLANS.delete(f);

if (PLANS.size === 0) {
  console.log('restructure-14: nothing to move (already applied).');
}

// ---------------------------------------------------------------------------------------------
// Declarations and where each goes

/** Names a top-level statement declares. */
function declaredNames(s) {
  if (ts.isVariableStatement(s)) return s.declarationList.declarations.flatMap((d) => bindingNames(d.name));
  if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s) || ts.isEnumDeclaration(s)) && s.name) return [s.name.text];
  return [];
}
function bindingNames(n) {
  if (ts.isIdentifier(n)) return [n.text];
  return n.elements.flatMap((e) => (ts.isOmittedExpression(e) ? [] : bindingNames(e.name)));
}
const isImportLike = (s) => ts.isImportDeclaration(s) || (ts.isExportDeclaration(s) && s.moduleSpecifier);

/** Identifiers a node uses, each with whether it is used as a value (not only as a type). */
function uses(node, out = new Map()) {
  const visit = (n, inType) => {
    if (ts.isIdentifier(n)) {
      const p = n.parent;
      const isName = p && p.name === n && (ts.isPropertyAccessExpression(p) || ts.isPropertySignature(p) || ts.isPropertyDeclaration(p) || ts.isPropertyAssignment(p) || ts.isMethodSignature(p) || ts.isMethodDeclaration(p) || ts.isGetAccessor(p) || ts.isSetAccessor(p) || ts.isEnumMember(p) || ts.isBindingElement(p) || ts.isParameter(p) || ts.isVariableDeclaration(p) || ts.isFunctionDeclaration(p) || ts.isClassDeclaration(p) || ts.isInterfaceDeclaration(p) || ts.isTypeAliasDeclaration(p) || ts.isTypeParameterDeclaration(p) || ts.isLabeledStatement(p) || ts.isPropertyAccessChain?.(p));
      const isRight = p && ts.isQualifiedName(p) && p.right === n;
      const isPropKey = p && ts.isBindingElement(p) && p.propertyName === n;
      if (!isName && !isRight && !isPropKey) {
        const prev = out.get(n.text) ?? { value: false, type: false };
        out.set(n.text, inType ? { ...prev, type: true } : { ...prev, value: true });
      }
      return;
    }
    let t = inType;
    if (ts.isExpressionWithTypeArguments(n)) {
      const h = n.parent;
      t = !(h && ts.isHeritageClause(h) && h.token === ts.SyntaxKind.ExtendsKeyword && (ts.isClassDeclaration(h.parent) || ts.isClassExpression(h.parent))) && !(h && ts.isHeritageClause(h) && ts.isClassLike(h.parent));
      if (h && ts.isHeritageClause(h) && ts.isClassLike(h.parent) && h.token === ts.SyntaxKind.ImplementsKeyword) t = true;
    } else if (ts.isTypeNode(n) || ts.isInterfaceDeclaration(n) || ts.isTypeAliasDeclaration(n)) t = true;
    if (ts.isTypeQueryNode(n)) t = true;
    n.forEachChild((c) => visit(c, t));
  };
  visit(node, false);
  return out;
}

/** One import/export-from declaration, structurally. */
function parseImport(sf, s, fromRel) {
  const spec = s.moduleSpecifier.text;
  const target = resolveSpec(fromRel, spec);
  if (ts.isExportDeclaration(s)) {
    const named = s.exportClause && ts.isNamedExports(s.exportClause)
      ? s.exportClause.elements.map((e) => ({ name: (e.propertyName ?? e.name).text, local: e.name.text, type: e.isTypeOnly }))
      : null;
    return { kind: 'export', spec, target, typeOnly: s.isTypeOnly, star: !s.exportClause, ns: s.exportClause && ts.isNamespaceExport(s.exportClause) ? s.exportClause.name.text : null, named: named ?? [], def: null, attrs: s.attributes ? s.attributes.getText(sf) : null };
  }
  const c = s.importClause;
  const named = c?.namedBindings && ts.isNamedImports(c.namedBindings)
    ? c.namedBindings.elements.map((e) => ({ name: (e.propertyName ?? e.name).text, local: e.name.text, type: e.isTypeOnly }))
    : [];
  return { kind: 'import', spec, target, typeOnly: !!c?.isTypeOnly, sideEffect: !c, def: c?.name?.text ?? null, ns: c?.namedBindings && ts.isNamespaceImport(c.namedBindings) ? c.namedBindings.name.text : null, named, attrs: s.attributes ? s.attributes.getText(sf) : null };
}
/** The repository file a relative specifier names (old coordinates), or null for packages. */
function resolveSpec(fromRel, spec) {
  if (!spec.startsWith('.')) return null;
  const abs = path.posix.normalize(path.posix.join(path.posix.dirname(fromRel), spec));
  if (abs.endsWith('.js') && SOURCES.has(abs.replace(/\.js$/, '.ts'))) return abs.replace(/\.js$/, '.ts');
  return abs; // a non-TS file (json, mjs) or a .ts file outside the code folders: only re-relativised
}

/** Where each declared name of a file lives afterwards. */
const HOME = new Map(); // old file -> Map(name -> new file)
const STMT_DEST = new Map(); // statement -> new file
const NEEDS_EXPORT = new Set(); // private declarations that others now import
function newPathOf(rel) {
  const p = PLANS.get(rel);
  if (!p) return rel;
  return p.to ?? p.primary;
}
for (const [rel, p] of PLANS) {
  const sf = SOURCES.get(rel);
  if (!sf) continue; // not a code file
  const homes = new Map();
  const stmts = sf.statements.filter((s) => !isImportLike(s));
  // First the exported (and dest-matched) declarations, then the private ones follow their users.
  const privates = [];
  for (const s of stmts) {
    const names = declaredNames(s);
    let dest = p.to ?? null;
    if (!dest) {
      const named = names.map((n) => p.dest(n, s)).find(Boolean);
      if (names.length && !exported(s) && !named) {
        privates.push(s);
        continue;
      }
      dest = named ?? p.primary;
    }
    STMT_DEST.set(s, dest);
    for (const n of names) homes.set(n, dest);
  }
  // A private declaration goes with the statements that use it, if they all go to one file.
  for (let pass = 0; pass < 3; pass++) {
    for (const s of privates) {
      if (STMT_DEST.has(s)) continue;
      const names = declaredNames(s);
      const dests = new Set();
      for (const other of stmts) {
        if (other === s || !STMT_DEST.has(other)) continue;
        const u = uses(other);
        if (names.some((n) => u.has(n))) dests.add(STMT_DEST.get(other));
      }
      // A private type a contract needs goes with the contract (exported if others use it too).
      const contract = [...dests].find((d) => /^ports\/(inbound|outbound)\//.test(d));
      if (isTypeDecl(s) && contract) {
        STMT_DEST.set(s, contract);
        for (const n of names) homes.set(n, contract);
        if (dests.size > 1) NEEDS_EXPORT.add(s);
        continue;
      }
      if (dests.size === 1 || pass === 2) {
        const dest = dests.size === 1 ? [...dests][0] : p.primary;
        STMT_DEST.set(s, dest);
        for (const n of names) homes.set(n, dest);
        if (dests.size > 1 || (dests.size === 1 && dest !== p.primary && stmts.some((o) => STMT_DEST.get(o) === p.primary && names.some((n) => uses(o).has(n))))) NEEDS_EXPORT.add(s);
      }
    }
  }
  HOME.set(rel, homes);
}
/** The new file of `name` as exported by old file `rel`. */
function homeOf(rel, name) {
  const h = HOME.get(rel);
  return h?.get(name) ?? newPathOf(rel);
}
/** The new files a split file's declarations went to (for `export *`). */
function homesOf(rel) {
  const h = HOME.get(rel);
  if (!h) return [newPathOf(rel)];
  return [...new Set([...h.values()])];
}

// ---------------------------------------------------------------------------------------------
// Rendering

function relSpec(fromNew, toNew) {
  let r = path.posix.relative(path.posix.dirname(fromNew), toNew);
  if (!r.startsWith('.')) r = `./${r}`;
  return r.replace(/\.ts$/, '.js');
}
function renderImport(imp, spec, named, typeOnly, quote) {
  const q = quote;
  const attrs = imp.attrs ? ` ${imp.attrs}` : '';
  const list = named.map((b) => `${!typeOnly && b.type ? 'type ' : ''}${b.name === b.local ? b.name : `${b.name} as ${b.local}`}`).join(', ');
  if (imp.kind === 'export') {
    if (imp.star) return `export ${typeOnly ? 'type ' : ''}*${imp.ns ? ` as ${imp.ns}` : ''} from ${q}${spec}${q}${attrs};`;
    return `export ${typeOnly ? 'type ' : ''}{ ${list} } from ${q}${spec}${q}${attrs};`;
  }
  if (imp.sideEffect) return `import ${q}${spec}${q}${attrs};`;
  const parts = [];
  if (imp.def) parts.push(imp.def);
  if (imp.ns) parts.push(`* as ${imp.ns}`);
  if (named.length) parts.push(`{ ${list} }`);
  return `import ${typeOnly ? 'type ' : ''}${parts.join(', ')} from ${q}${spec}${q}${attrs};`;
}

/**
 * Rewrites one import/export-from declaration of a file now at `fromNew`. `keep` (optional) filters
 * the bindings and decides type-only-ness by use. Returns the replacement text ('' to drop).
 */
function rewriteImport(sf, s, fromOld, fromNew, keep) {
  const imp = parseImport(sf, s, fromOld);
  const quote = s.moduleSpecifier.getText(sf)[0];
  if (!imp.target) {
    if (!keep) return null;
    const named = imp.named.filter((b) => keep(b.local) !== 'drop').map((b) => ({ ...b, type: b.type || keep(b.local) === 'type' }));
    if (!imp.sideEffect && !imp.def && !imp.ns && named.length === 0 && imp.kind === 'import') return '';
    const allType = imp.typeOnly || (named.length > 0 && named.every((b) => b.type) && !imp.def && !imp.ns);
    if (named.length === imp.named.length && named.every((b, i) => b.type === imp.named[i].type)) return null;
    return renderImport(imp, imp.spec, named, allType && imp.kind === 'import' ? true : imp.typeOnly, quote);
  }
  const split = HOME.has(imp.target) && new Set(HOME.get(imp.target).values()).size > 1;
  const out = [];
  if (imp.star || imp.ns || imp.def || imp.sideEffect) {
    if (split && (imp.ns || imp.def)) problems.push(`${fromOld}: \`${s.getText(sf).split('\n')[0]}\` imports a split module as a whole; pointed at ${newPathOf(imp.target)}, check it`);
    const targets = imp.star && !imp.ns ? homesOf(imp.target) : [newPathOf(imp.target)];
    for (const t of targets) {
      if (t === fromNew) continue;
      const named = imp.named.filter((b) => !keep || keep(b.local) !== 'drop');
      out.push(renderImport(imp, relSpec(fromNew, t), named, imp.typeOnly, quote));
    }
  } else {
    const groups = new Map();
    for (const b of imp.named) {
      const use = keep ? keep(b.local) : b.type || imp.typeOnly ? 'type' : 'value';
      if (use === 'drop') continue;
      const t = homeOf(imp.target, b.name);
      if (t === fromNew) continue; // now declared in this very file
      if (!groups.has(t)) groups.set(t, []);
      groups.get(t).push({ ...b, type: b.type || imp.typeOnly || use === 'type' });
    }
    for (const [t, named] of groups) {
      const allType = imp.typeOnly || named.every((b) => b.type);
      out.push(renderImport(imp, relSpec(fromNew, t), allType ? named.map((b) => ({ ...b, type: false })) : named, allType, quote));
    }
  }
  const text = out.join('\n');
  const sameSpec = out.length === 1 && !keep && !split && relSpec(fromNew, newPathOf(imp.target)) === imp.spec;
  return sameSpec ? null : text;
}

/** Dynamic `import('...')` and `import('...')` types: re-pointed when the target moved. */
function rewriteDynamic(sf, fromOld, fromNew, edits, skip = new Set()) {
  const visit = (n) => {
    if (skip.has(n)) return;
    let lit = null;
    if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword && n.arguments[0] && ts.isStringLiteral(n.arguments[0])) lit = n.arguments[0];
    if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal)) lit = n.argument.literal;
    if (lit && lit.text.startsWith('.')) {
      const target = resolveSpec(fromOld, lit.text);
      if (HOME.has(target) && new Set(HOME.get(target).values()).size > 1) problems.push(`${fromOld}: dynamic import of split module ${target}; pointed at ${newPathOf(target)}, check it`);
      const spec = relSpec(fromNew, newPathOf(target));
      if (spec !== lit.text) edits.push({ start: lit.getStart(sf) + 1, end: lit.getEnd() - 1, text: spec });
    }
    n.forEachChild(visit);
  };
  visit(sf);
}

function applyEdits(text, edits) {
  edits.sort((a, b) => b.start - a.start);
  for (const e of edits) text = text.slice(0, e.start) + e.text + text.slice(e.end);
  return text;
}

/** Imports for statements moved out of `fromOld` into `toNew`, beside names already bound there. */
function importsFor(stmts, fromOld, toNew, bound) {
  const sf = SOURCES.get(fromOld);
  const used = new Map();
  for (const s of stmts) uses(s, used);
  const lines = [];
  const groups = new Map(); // target -> [{name, local, type}]
  const add = (t, b) => {
    if (t === toNew || bound.has(b.local)) return;
    if (!groups.has(t)) groups.set(t, new Map());
    const g = groups.get(t);
    const prev = g.get(b.local);
    g.set(b.local, prev ? { ...b, type: prev.type && b.type } : b);
  };
  for (const s of sf.statements.filter(isImportLike)) {
    if (!ts.isImportDeclaration(s) || !s.importClause) continue;
    const imp = parseImport(sf, s, fromOld);
    for (const b of imp.named) {
      const u = used.get(b.local);
      if (!u) continue;
      const type = imp.typeOnly || b.type || !u.value;
      if (imp.target) add(homeOf(imp.target, b.name), { ...b, type });
      else add(`pkg:${imp.spec}`, { ...b, type });
    }
    if ((imp.def && used.has(imp.def)) || (imp.ns && used.has(imp.ns))) {
      const spec = imp.target ? relSpec(toNew, newPathOf(imp.target)) : imp.spec;
      lines.push(renderImport(imp, spec, [], imp.typeOnly, "'"));
      if (imp.def) bound.add(imp.def);
      if (imp.ns) bound.add(imp.ns);
    }
  }
  // Names declared in the old file that now live in another file.
  for (const [name, u] of used) {
    const h = HOME.get(fromOld);
    if (!h?.has(name)) continue;
    const stmt = sf.statements.find((s) => declaredNames(s).includes(name));
    const typeDecl = stmt && isTypeDecl(stmt);
    add(h.get(name), { name, local: name, type: typeDecl || !u.value });
  }
  for (const [t, g] of groups) {
    if (/^ports\/(inbound|outbound)\//.test(toNew) && t.startsWith('ports/use-cases/')) {
      problems.push(`${toNew} (a contract) would import ${[...g.keys()].join(', ')} from ${t} (an implementation): move those into the contract by hand`);
    }
    const named = [...g.values()];
    const allType = named.every((b) => b.type);
    const spec = t.startsWith('pkg:') ? t.slice(4) : relSpec(toNew, t);
    lines.push(renderImport({ kind: 'import', named, attrs: null }, spec, allType ? named.map((b) => ({ ...b, type: false })) : named, allType, "'"));
  }
  for (const g of groups.values()) for (const b of g.values()) bound.add(b.local);
  return lines;
}

/** Names bound at the top of a file: imports and declarations. */
function boundNames(sf) {
  const out = new Set();
  for (const s of sf.statements) {
    for (const n of declaredNames(s)) out.add(n);
    if (ts.isImportDeclaration(s) && s.importClause) {
      const c = s.importClause;
      if (c.name) out.add(c.name.text);
      if (c.namedBindings) {
        if (ts.isNamespaceImport(c.namedBindings)) out.add(c.namedBindings.name.text);
        else for (const e of c.namedBindings.elements) out.add(e.name.text);
      }
    }
  }
  return out;
}

/**
 * The new text of a file that stays or moves whole (`fromOld` -> `fromNew`), minus `removed`
 * statements (moved elsewhere), with its imports re-pointed and pruned when it lost statements.
 */
function transformed(fromOld, fromNew, removed) {
  const sf = SOURCES.get(fromOld);
  const text = sf.getFullText();
  const edits = [];
  const kept = sf.statements.filter((s) => !isImportLike(s) && !removed.has(s));
  let keep = null;
  if (removed.size > 0) {
    const used = new Map();
    for (const s of kept) uses(s, used);
    keep = (local) => (!used.has(local) ? 'drop' : used.get(local).value ? 'value' : 'type');
  }
  // An import that goes takes its line, not the comments before it (the file's header).
  const dropLine = (s) => ({ start: s.getStart(sf), end: text[s.getEnd()] === '\n' ? s.getEnd() + 1 : s.getEnd(), text: '' });
  for (const s of sf.statements) {
    if (removed.has(s)) {
      edits.push({ start: s.getFullStart(), end: s.getEnd(), text: '' });
      continue;
    }
    if (NEEDS_EXPORT.has(s)) {
      edits.push({ start: s.getStart(sf), end: s.getStart(sf), text: 'export ' });
      notes.push(`${fromOld}: ${declaredNames(s).join(', ')} is now exported (used from another file after the split)`);
    }
    if (!isImportLike(s)) continue;
    const k = keep && ts.isImportDeclaration(s) ? keep : null;
    const target = resolveSpec(fromOld, s.moduleSpecifier.text);
    const split = target && HOME.has(target) && new Set(HOME.get(target).values()).size > 1;
    if (!k && !split && target) {
      // Only the path changes: keep the declaration as written.
      if (newPathOf(target) === fromNew) {
        // The module merged into this very file: its import goes.
        edits.push(dropLine(s));
        continue;
      }
      const spec = relSpec(fromNew, newPathOf(target));
      if (spec !== s.moduleSpecifier.text) edits.push({ start: s.moduleSpecifier.getStart(sf) + 1, end: s.moduleSpecifier.getEnd() - 1, text: spec });
      continue;
    }
    if (!k && !target) continue;
    const r = rewriteImport(sf, s, fromOld, fromNew, k);
    if (r !== null) {
      const start = s.getStart(sf);
      edits.push(r === '' ? dropLine(s) : { start, end: s.getEnd(), text: r });
    }
  }
  rewriteDynamic(sf, fromOld, fromNew, edits, removed);
  let out = applyEdits(text, edits);
  if (removed.size > 0) {
    // Declarations of this file that moved away but are still used here.
    const bound = boundNames(ts.createSourceFile(fromNew, out, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS));
    const extra = importsFor(kept, fromOld, fromNew, bound);
    if (extra.length) out = insertImports(out, extra);
    out = out.replace(/^\n+/, '').replace(/\n{3,}/g, '\n\n');
  }
  return out;
}
function insertImports(text, lines) {
  const sf = ts.createSourceFile('x.ts', text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const last = [...sf.statements].reverse().find((s) => ts.isImportDeclaration(s));
  if (last) return `${text.slice(0, last.getEnd())}\n${lines.join('\n')}${text.slice(last.getEnd())}`;
  const first = sf.statements[0];
  const at = first ? first.getStart(sf) : text.length;
  return `${text.slice(0, at)}${lines.join('\n')}\n\n${text.slice(at)}`;
}

// ---------------------------------------------------------------------------------------------
// The plan, file by file

const outputs = new Map(); // new path -> { base: {fromOld}|null, chunks: [{fromOld, stmts}] }
const out = (p) => {
  if (!outputs.has(p)) outputs.set(p, { base: null, chunks: [] });
  return outputs.get(p);
};
const movedStmts = new Map(); // old file -> Set(statements that leave its primary text)
for (const [rel, p] of PLANS) {
  const sf = SOURCES.get(rel);
  const primary = p.to ?? p.primary;
  if (!sf) continue;
  const removed = new Set();
  const chunksByDest = new Map();
  for (const s of sf.statements) {
    const d = STMT_DEST.get(s);
    if (!d || d === primary) continue;
    removed.add(s);
    if (!chunksByDest.has(d)) chunksByDest.set(d, []);
    chunksByDest.get(d).push(s);
  }
  movedStmts.set(rel, removed);
  for (const [d, stmts] of chunksByDest) out(d).chunks.push({ fromOld: rel, stmts });
  const o = out(primary);
  if (o.base) problems.push(`two files move to ${primary}: ${o.base.fromOld} and ${rel}; the second is appended`);
  if (o.base) o.chunks.push({ fromOld: rel, stmts: sf.statements.filter((s) => !isImportLike(s) && !removed.has(s)) });
  else o.base = { fromOld: rel };
}
// Files that stay (or receive declarations) keep their own text as the base.
for (const f of FILES) {
  if (PLANS.has(f)) continue;
  const o = out(f);
  if (o.base) {
    // A planned file moves onto an existing one: the existing text is the base, the mover appends.
    const mover = o.base.fromOld;
    const sf = SOURCES.get(mover);
    o.chunks.unshift({ fromOld: mover, stmts: sf.statements.filter((s) => !isImportLike(s) && !movedStmts.get(mover).has(s)), whole: true });
  }
  o.base = { fromOld: f };
}

const results = new Map(); // new path -> text
for (const [p, o] of outputs) {
  let text = o.base ? transformed(o.base.fromOld, p, movedStmts.get(o.base.fromOld) ?? new Set()) : '';
  if (o.chunks.length) {
    const boundSf = ts.createSourceFile(p, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const bound = boundNames(boundSf);
    for (const c of o.chunks) for (const s of c.stmts) for (const n of declaredNames(s)) bound.add(n);
    const imports = [];
    const bodies = [];
    for (const c of o.chunks) {
      imports.push(...importsFor(c.stmts, c.fromOld, p, bound));
      const sf = SOURCES.get(c.fromOld);
      for (const s of c.stmts) if (/import\(['"]\./.test(s.getText(sf))) problems.push(`${p}: a moved declaration from ${c.fromOld} has a relative dynamic import; check its path`);
      const textOf = (s) => {
        const full = sf.getFullText().slice(s.getFullStart(), s.getEnd());
        const at = s.getStart(sf) - s.getFullStart();
        return (NEEDS_EXPORT.has(s) ? `${full.slice(0, at)}export ${full.slice(at)}` : full).replace(/^\n+/, '');
      };
      bodies.push(c.stmts.map(textOf).join('\n\n'));
    }
    if (!text) {
      const header = headerOf(o.chunks[0].fromOld, p);
      text = `${header}${imports.join('\n')}${imports.length ? '\n\n' : ''}${bodies.join('\n\n')}\n`;
    } else {
      if (imports.length) text = insertImports(text, imports);
      text = `${text.replace(/\n*$/, '\n')}\n${bodies.join('\n\n')}\n`;
    }
  }
  results.set(p, text);
}
function headerOf(fromOld, p) {
  if (/\/inbound\/.*\.port\.ts$/.test(p)) return `/** A use-case contract: what a surface sends and gets back (implementation: ports/use-cases/). */\n`;
  return '';
}

// ---------------------------------------------------------------------------------------------
// Writing

const git = (...args) => execFileSync('git', args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] }).toString();
const tracked = new Set(git('ls-files').split('\n'));
let moved = 0;
let written = 0;
const moves = [];
for (const [rel, p] of PLANS) {
  const to = p.to ?? p.primary;
  moves.push([rel, to]);
  console.log(`${p.to ? 'move ' : 'split'} ${rel} -> ${to}${p.to ? '' : ` (+ ${[...new Set([...(HOME.get(rel)?.values() ?? [])])].filter((d) => d !== to).join(', ') || 'nothing else'})`}`);
}
if (!DRY) {
  for (const [rel, to] of moves) {
    if (existsSync(path.join(ROOT, to))) {
      // Merged into an existing file: the old one goes.
      if (tracked.has(rel)) git('rm', '-q', '--cached', rel);
      execFileSync('rm', [path.join(ROOT, rel)]);
    } else {
      mkdirSync(path.dirname(path.join(ROOT, to)), { recursive: true });
      if (tracked.has(rel)) git('mv', rel, to);
      else execFileSync('mv', [path.join(ROOT, rel), path.join(ROOT, to)]);
    }
    moved++;
  }
  for (const [p, text] of results) {
    const abs = path.join(ROOT, p);
    const before = existsSync(abs) ? readFileSync(abs, 'utf8') : null;
    if (before === text) continue;
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, text);
    written++;
  }
}

// ---------------------------------------------------------------------------------------------
// Paths named in docs, configs and comments

const pathMoves = moves.flatMap(([a, b]) => [[a, b], [`dist/${a.replace(/\.ts$/, '.js')}`, `dist/${b.replace(/\.ts$/, '.js')}`]]);
const TEXT_FILES = [
  'README.md', 'package.json', 'tsconfig.json', 'typedoc.json', 'eslint.config.js', '.dependency-cruiser.cjs', 'Dockerfile', '.mocharc.json',
  ...(existsSync(path.join(ROOT, 'docs')) ? readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`) : []),
  ...[...results.keys()],
].filter((f) => existsSync(path.join(ROOT, f)) && statSync(path.join(ROOT, f)).isFile());
let textEdits = 0;
if (pathMoves.length) {
  for (const f of new Set(TEXT_FILES)) {
    const abs = path.join(ROOT, f);
    if (DRY && !existsSync(abs)) continue;
    const before = readFileSync(abs, 'utf8');
    let text = before;
    for (const [a, b] of pathMoves) {
      const re = new RegExp(`(?<![A-Za-z0-9_.-])${a.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(?![A-Za-z0-9_])`, 'g');
      text = text.replace(re, b);
    }
    if (text !== before) {
      textEdits++;
      if (!DRY) writeFileSync(abs, text);
      else console.log(`would update paths in ${f}`);
    }
  }
}

// Prose that describes the layout (each edit applies once: its pattern no longer matches after).
const PROSE = [
  ['README.md', /`ports\/inbound\/` the use cases(\s+)\(the(\s+)library's API\)/, "`ports/inbound/` the use cases' contracts (the$2library's API),$1`ports/use-cases/` their implementations"],
];
for (const [f, re, to] of PROSE) {
  const abs = path.join(ROOT, f);
  if (!existsSync(abs) || DRY || moves.length === 0) continue;
  const before = readFileSync(abs, 'utf8');
  const after = before.replace(re, to);
  if (after !== before) writeFileSync(abs, after);
  else notes.push(`${f}: the layout sentence was not found; check that it describes ports/inbound (contracts) and ports/use-cases (implementations)`);
}

// Comments point at the repository's own docs, not at design notes outside it (item 7).
const COMMENT_EDITS = [
  [/(?<![\w/.-])DOMAIN\.md/g, 'docs/decision-model.md'],
  [/(?<![\w/.-])ARCHITECTURE\.md/g, 'docs/architecture.md'],
  [/,? as issue \d+ states\)/g, ')'],
];
if (!DRY) {
  for (const f of new Set([...results.keys(), ...FILES.map((f) => newPathOf(f)), '.dependency-cruiser.cjs'])) {
    const abs = path.join(ROOT, f);
    if (!existsSync(abs)) continue;
    const before = readFileSync(abs, 'utf8');
    let text = before;
    for (const [re, to] of COMMENT_EDITS) text = text.replace(re, to);
    if (text !== before) {
      writeFileSync(abs, text);
      textEdits++;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Dependency rules for the new layout (added once)

const DC = path.join(ROOT, '.dependency-cruiser.cjs');
const RULES = [
  ['risk-does-not-import-patch', `    {
      name: 'risk-does-not-import-patch',
      comment: 'risk/ scores findings and knows nothing of patching; patch/ decides from the scores; domain/asset-assessment.ts composes them (docs/architecture.md)',
      severity: 'error',
      from: { path: '^domain/risk/' },
      to: { path: '^domain/patch/' },
    },`],
  ['contracts-import-no-use-cases', `    {
      name: 'contracts-import-no-use-cases',
      comment: 'ports/inbound and ports/outbound are contracts: they never import an implementation from ports/use-cases/',
      severity: 'error',
      from: { path: '^ports/(inbound|outbound)/' },
      to: { path: '^ports/use-cases/' },
    },`],
  ['adapters-call-contracts', `    {
      name: 'adapters-call-contracts',
      comment: 'an adapter knows the use cases by their contracts (ports/inbound); composition wires the implementations. The Assistant cache is the one decorator a long-running surface applies itself',
      severity: 'error',
      from: { path: '^adapters/' },
      to: { path: '^ports/use-cases/', pathNot: '^ports/use-cases/cached-assistant\\\\.ts$' },
    },`],
];
if (existsSync(DC) && !DRY && existsSync(path.join(ROOT, 'ports/use-cases'))) {
  let dc = readFileSync(DC, 'utf8');
  for (const [name, rule] of RULES) {
    if (dc.includes(`'${name}'`)) continue;
    dc = dc.replace(/(\n\s*\{\s*\n\s*name: 'no-circular')/, (m) => `\n${rule}${m}`);
    if (!dc.includes(`'${name}'`)) problems.push(`.dependency-cruiser.cjs: could not add rule ${name} (no 'no-circular' rule to insert before)`);
  }
  writeFileSync(DC, dc);
}

console.log(`\nrestructure-14: ${moved} file(s) moved or split, ${written} written, ${textEdits} doc/config file(s) with paths updated${DRY ? ' (dry run: nothing changed)' : ''}.`);
for (const n of notes) console.log(`note: ${n}`);
if (problems.length) {
  console.log(`\n${problems.length} thing(s) to check by hand:`);
  for (const p of problems) console.log(`  - ${p}`);
}
if (!DRY && moved) console.log('\nnext: git add -A && npx tsc -p tsconfig.json && npx eslint . && npm run deps && npx mocha dist/test/unit');
