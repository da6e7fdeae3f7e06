import { expect } from 'chai';
import { notificationLinksFromEnv } from '../../../composition/notify.js';
import { CONSOLE_PREFIX } from '../../../adapters/inbound/http/console/console-mount.js';

/** The digest's buttons lead to pages the console serves (they once pointed at /runs/new, a 404). */
describe('notificationLinksFromEnv: the buttons under alerts and digests', () => {
  it('open the console\'s plan page and its runs page (which requests a run)', () => {
    const links = notificationLinksFromEnv({ SRE_OPS_CONSOLE_URL: `https://ops.example.com${CONSOLE_PREFIX}/` });

    expect(links.map((l) => l.url)).to.deep.equal([`https://ops.example.com${CONSOLE_PREFIX}/plan`, `https://ops.example.com${CONSOLE_PREFIX}/runs`]);
  });

  it('are none without SRE_OPS_CONSOLE_URL, and a URL that is not https is refused by name', () => {
    expect(notificationLinksFromEnv({})).to.deep.equal([]);
    expect(() => notificationLinksFromEnv({ SRE_OPS_CONSOLE_URL: 'ftp://x' })).to.throw(/SRE_OPS_CONSOLE_URL: expected an https URL/);
  });
});
