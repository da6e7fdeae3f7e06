/**
 * The hexagon's dependency rules (docs/architecture.md), enforced in `npm test`.
 * @type {import('dependency-cruiser').IConfiguration}
 */
const FRAMEWORKS = '^(node_modules/)?(@aws-sdk|inversify|koa|@koa|@slack|botbuilder|yargs|better-sqlite3|@modelcontextprotocol)';
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'domain imports nothing outside domain/ (no node built-ins, no packages)',
      severity: 'error',
      from: { path: '^domain/' },
      to: { pathNot: '^domain/' },
    },
    {
      name: 'ports-import-only-domain',
      comment: 'ports import only domain/ and other ports',
      severity: 'error',
      from: { path: '^ports/' },
      to: { pathNot: '^(domain|ports)/' },
    },
    {
      name: 'no-frameworks-in-core',
      severity: 'error',
      from: { path: '^(domain|ports)/' },
      to: { path: FRAMEWORKS },
    },
    {
      name: 'adapters-never-import-composition',
      severity: 'error',
      from: { path: '^adapters/' },
      to: { path: '^composition/' },
    },
    {
      name: 'inbound-adapters-not-outbound',
      comment: 'inbound adapters reach the world only through the use cases, never an outbound adapter',
      severity: 'error',
      from: { path: '^adapters/inbound/' },
      to: { path: '^adapters/outbound/' },
    },
    {
      name: 'outbound-adapters-independent',
      comment: 'one outbound adapter family never imports another (aws/ does not import snapshot/, ...); aws-shapes/ (pure AWS JSON to domain mappers) is shared by the families that read AWS shapes, shared/ (helpers of no family, e.g. the history record compression) by any',
      severity: 'error',
      from: { path: '^adapters/outbound/([^/]+)/' },
      to: { path: '^adapters/outbound/', pathNot: ['^adapters/outbound/$1/', '^adapters/outbound/aws-shapes/', '^adapters/outbound/shared/'] },
    },
    {
      name: 'only-composition-imports-adapters',
      severity: 'error',
      from: { pathNot: '^(adapters|composition|test|bench|scripts|examples)/' },
      to: { path: '^adapters/' },
    },
    {
      name: 'infra-imports-no-app-code',
      comment: 'the CDK app reads the project only through file paths (Dockerfile, Lambda bundles, docs/iam-policy.json)',
      severity: 'error',
      from: { path: '^infra/' },
      to: { path: '^(domain|ports|adapters|composition|scripts|bench|test)/' },
    },
    {
      name: 'risk-does-not-import-patch',
      comment: 'risk/ scores findings and knows nothing of patching; patch/ decides from the scores; domain/asset-assessment.ts composes them (docs/architecture.md)',
      severity: 'error',
      from: { path: '^domain/risk/' },
      to: { path: '^domain/patch/' },
    },
    {
      name: 'contracts-import-no-use-cases',
      comment: 'ports/inbound and ports/outbound are contracts: they never import an implementation from ports/use-cases/',
      severity: 'error',
      from: { path: '^ports/(inbound|outbound)/' },
      to: { path: '^ports/use-cases/' },
    },
    {
      name: 'adapters-call-contracts',
      comment: 'an adapter knows the use cases by their contracts (ports/inbound); composition wires the implementations. The Assistant cache is the one decorator a long-running surface applies itself',
      severity: 'error',
      from: { path: '^adapters/' },
      to: { path: '^ports/use-cases/', pathNot: '^ports/use-cases/cached-assistant\\.ts$' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
