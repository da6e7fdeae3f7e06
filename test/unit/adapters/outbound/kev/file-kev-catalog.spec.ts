import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, use } from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { FileKevCatalog } from '../../../../../adapters/outbound/kev/file-kev-catalog.js';
import { ShapeError } from '../../../../../adapters/outbound/aws-shapes/index.js';
import { SourceError } from '../../../../../domain/errors.js';
import { repoRoot } from '../../../../../scripts/generate-demo-fleet.js';

use(chaiAsPromised);

describe('FileKevCatalog', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kev-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads a KEV file in the feed format and says where it came from', async () => {
    const path = join(repoRoot(), 'examples', 'demo-fleet', 'kev.json');

    const loaded = await new FileKevCatalog(path).load();

    expect(loaded.catalog.catalogVersion).to.equal('2026.11.20');
    expect(loaded.catalog.entries.get('CVE-2021-44228')).to.include({ dateAdded: '2021-12-10', dueDate: '2021-12-24', knownRansomwareCampaignUse: 'Known' });
    expect(loaded.origin).to.equal(`${path} (KEV catalog version 2026.11.20, ${loaded.catalog.entries.size} entries)`);
    expect(loaded.warnings).to.deep.equal([]);
  });

  it('reads the file once', async () => {
    const path = join(dir, 'kev.json');
    await writeFile(path, JSON.stringify({ vulnerabilities: [{ cveID: 'CVE-2024-1086', dateAdded: '2024-05-30' }] }));
    const source = new FileKevCatalog(path);
    const first = await source.load();
    await rm(path);

    expect(await source.load()).to.equal(first);
  });

  it('a missing file is a SourceError naming it', async () => {
    const path = join(dir, 'nope.json');

    await expect(new FileKevCatalog(path).load()).to.be.rejectedWith(SourceError, `cannot read the KEV catalog ${path}: the file does not exist`);
  });

  it('malformed JSON is a SourceError with the line and column', async () => {
    const path = join(dir, 'kev.json');
    await writeFile(path, '{\n  "vulnerabilities": [\n    { "cveID": "CVE-2024-1086" ]\n}\n');

    await expect(new FileKevCatalog(path).load()).to.be.rejectedWith(SourceError, `${path} is not valid JSON: line 3, column 32:`);
  });

  it('a wrong shape names the file and the JSON path', async () => {
    const path = join(dir, 'kev.json');
    await writeFile(path, JSON.stringify({ vulnerabilities: [{ cveID: 'CVE-2024-1086' }] }));

    await expect(new FileKevCatalog(path).load()).to.be.rejectedWith(ShapeError, `${path}: $.vulnerabilities[0].dateAdded: expected a string, found nothing`);
  });
});

describe('FileKevCatalog: a file that is not a KEV catalog', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kev-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is required: a failure to load must fail the report, not become a warning', () => {
    expect(new FileKevCatalog(join(dir, 'kev.json')).required).to.equal(true);
  });

  it('names an empty file, a directory and JSON that is not the feed', async () => {
    const empty = join(dir, 'empty.json');
    await writeFile(empty, ' \n');
    const list = join(dir, 'list.json');
    await writeFile(list, '[]');
    const other = join(dir, 'other.json');
    await writeFile(other, '{ "name": "x" }');

    await expect(new FileKevCatalog(empty).load()).to.be.rejectedWith(SourceError, `cannot read the KEV catalog ${empty}: the file is empty`);
    await expect(new FileKevCatalog(dir).load()).to.be.rejectedWith(SourceError, `cannot read the KEV catalog ${dir}: it is a directory, not a file`);
    await expect(new FileKevCatalog(list).load()).to.be.rejectedWith(SourceError, `${list} is not a CISA KEV catalog: expected an object with a "vulnerabilities" array (known_exploited_vulnerabilities.json from cisa.gov), found an array of 0`);
    await expect(new FileKevCatalog(other).load()).to.be.rejectedWith(SourceError, `${other} is not a CISA KEV catalog: expected an object with a "vulnerabilities" array (known_exploited_vulnerabilities.json from cisa.gov), found an object without one`);
  });
});
