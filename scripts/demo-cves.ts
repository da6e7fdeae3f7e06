/**
 * The CVE catalog the demo fleet is built from: real CVEs, their real affected packages, their NVD
 * CVSS v3.1 base vectors and their real CISA KEV status (catalog fields as CISA publishes them,
 * checked against cisagov/kev-data). What is synthetic, and said so in examples/demo-fleet/README.md:
 * the distribution release strings of installed and fixed packages (plausible, within the upstream
 * affected ranges), the EPSS scores (illustrative magnitudes, not FIRST's published values for any
 * given day), and which instance carries which CVE.
 */

/** The operating systems of the demo fleet, as Inspector2 names them in resources[].details. */
export type PlatformFamily = 'AL2023' | 'AL2' | 'UBUNTU2204';

/** Workloads, so that application packages (a log4j jar, nginx) sit only where they would. */
export type Role = 'web' | 'api' | 'db' | 'bastion' | 'worker' | 'ci' | 'legacy' | 'sandbox';

export const PLATFORMS: Readonly<Record<PlatformFamily, { inspector: string; ssmName: string; ssmVersion: string; details: string; ami: string }>> = {
  AL2023: { inspector: 'AMAZON_LINUX_2023', ssmName: 'Amazon Linux', ssmVersion: '2023', details: 'Linux/UNIX', ami: 'ami-0a3c3a20c09d6f377' },
  AL2: { inspector: 'AMAZON_LINUX_2', ssmName: 'Amazon Linux', ssmVersion: '2', details: 'Linux/UNIX', ami: 'ami-0dfcb1ef8550277af' },
  UBUNTU2204: { inspector: 'UBUNTU_22_04', ssmName: 'Ubuntu', ssmVersion: '22.04', details: 'Linux/UNIX', ami: 'ami-0fc5d935ebf8bc3bc' },
};

/** An installed package: how Inspector2 splits it (epoch, version, release). */
export interface InstalledPackage {
  readonly name: string;
  readonly epoch: number;
  readonly version: string;
  readonly release: string;
  readonly manager: 'OS' | 'JAR' | 'PYTHONPKG';
  /** JAR packages: where the jar lives. */
  readonly filePath?: string;
}

function os(name: string, version: string, release: string, epoch = 0): InstalledPackage {
  return { name, epoch, version, release, manager: 'OS' };
}

function jar(name: string, version: string, filePath: string): InstalledPackage {
  return { name, epoch: 0, version, release: '', manager: 'JAR', filePath };
}

/**
 * Installed versions per platform, shared by every CVE that names the package, so one instance
 * never reports two different versions of the same package.
 */
export const INSTALLED: Readonly<Record<PlatformFamily, Readonly<Record<string, InstalledPackage>>>> = {
  AL2023: {
    kernel: os('kernel', '6.1.66', '91.160.amzn2023'),
    glibc: os('glibc', '2.34', '52.amzn2023.0.6'),
    'glibc-common': os('glibc-common', '2.34', '52.amzn2023.0.6'),
    'glibc-minimal-langpack': os('glibc-minimal-langpack', '2.34', '52.amzn2023.0.6'),
    openssh: os('openssh', '8.7p1', '8.amzn2023.0.4'),
    'openssh-server': os('openssh-server', '8.7p1', '8.amzn2023.0.4'),
    'openssh-clients': os('openssh-clients', '8.7p1', '8.amzn2023.0.4'),
    'curl-minimal': os('curl-minimal', '8.2.1', '1.amzn2023.0.1'),
    'libcurl-minimal': os('libcurl-minimal', '8.2.1', '1.amzn2023.0.1'),
    openssl: os('openssl', '3.0.8', '1.amzn2023.0.4', 1),
    'openssl-libs': os('openssl-libs', '3.0.8', '1.amzn2023.0.4', 1),
    'libnghttp2': os('libnghttp2', '1.55.1', '1.amzn2023.0.1'),
    python3: os('python3', '3.9.16', '1.amzn2023.0.3'),
    'python3-libs': os('python3-libs', '3.9.16', '1.amzn2023.0.3'),
    runc: os('runc', '1.1.11', '1.amzn2023.0.1'),
    'bind-libs': os('bind-libs', '9.16.42', '1.amzn2023.0.2', 32),
    'bind-license': os('bind-license', '9.16.42', '1.amzn2023.0.2', 32),
    expat: os('expat', '2.5.0', '1.amzn2023.0.3'),
    'krb5-libs': os('krb5-libs', '1.21', '3.amzn2023.0.3'),
    'ncurses-libs': os('ncurses-libs', '6.2', '4.20200222.amzn2023.0.4'),
    'ncurses-base': os('ncurses-base', '6.2', '4.20200222.amzn2023.0.4'),
    tar: os('tar', '1.34', '1.amzn2023.0.3', 2),
    'shadow-utils': os('shadow-utils', '4.9', '12.amzn2023.0.2', 2),
    'sqlite-libs': os('sqlite-libs', '3.40.0', '1.amzn2023.0.3'),
    libxml2: os('libxml2', '2.10.4', '1.amzn2023.0.3'),
    'log4j-core': jar('org.apache.logging.log4j:log4j-core', '2.14.1', '/opt/app/lib/log4j-core-2.14.1.jar'),
    'spring-beans': jar('org.springframework:spring-beans', '5.3.17', '/opt/app/lib/spring-beans-5.3.17.jar'),
    'commons-text': jar('org.apache.commons:commons-text', '1.9', '/opt/app/lib/commons-text-1.9.jar'),
  },
  AL2: {
    kernel: os('kernel', '5.10.93', '87.444.amzn2'),
    openssh: os('openssh', '7.4p1', '22.amzn2.0.1'),
    'openssh-server': os('openssh-server', '7.4p1', '22.amzn2.0.1'),
    'openssh-clients': os('openssh-clients', '7.4p1', '22.amzn2.0.1'),
    polkit: os('polkit', '0.112', '26.amzn2'),
    sudo: os('sudo', '1.8.23', '10.amzn2.1'),
    bash: os('bash', '4.2.46', '12.amzn2'),
    openssl: os('openssl', '1.0.2k', '19.amzn2.0.10', 1),
    'openssl-libs': os('openssl-libs', '1.0.2k', '19.amzn2.0.10', 1),
    curl: os('curl', '7.79.1', '1.amzn2.0.1'),
    libcurl: os('libcurl', '7.79.1', '1.amzn2.0.1'),
    zlib: os('zlib', '1.2.7', '18.amzn2'),
    httpd: os('httpd', '2.4.49', '1.amzn2'),
    'httpd-tools': os('httpd-tools', '2.4.49', '1.amzn2'),
    glibc: os('glibc', '2.26', '62.amzn2'),
    'glibc-common': os('glibc-common', '2.26', '62.amzn2'),
    expat: os('expat', '2.1.0', '15.amzn2.0.2'),
    'krb5-libs': os('krb5-libs', '1.15.1', '55.amzn2.2.5'),
    systemd: os('systemd', '219', '78.amzn2.0.21'),
    'systemd-libs': os('systemd-libs', '219', '78.amzn2.0.21'),
    'ncurses-libs': os('ncurses-libs', '6.0', '8.20170212.amzn2.1.6'),
    tar: os('tar', '1.26', '35.amzn2.0.2', 2),
    'shadow-utils': os('shadow-utils', '4.1.5.1', '24.amzn2.0.3', 2),
    git: os('git', '2.37.1', '1.amzn2.0.1'),
    'log4j-core': jar('org.apache.logging.log4j:log4j-core', '2.14.1', '/opt/reports/lib/log4j-core-2.14.1.jar'),
  },
  UBUNTU2204: {
    'linux-aws': os('linux-aws', '5.15.0.1049.48', ''),
    'linux-image-aws': os('linux-image-aws', '5.15.0.1049.48', ''),
    libc6: os('libc6', '2.35', '0ubuntu3.1'),
    'libc-bin': os('libc-bin', '2.35', '0ubuntu3.1'),
    'openssh-server': os('openssh-server', '8.9p1', '3ubuntu0.4', 1),
    'openssh-client': os('openssh-client', '8.9p1', '3ubuntu0.4', 1),
    openssl: os('openssl', '3.0.2', '0ubuntu1.6'),
    libssl3: os('libssl3', '3.0.2', '0ubuntu1.6'),
    curl: os('curl', '7.81.0', '1ubuntu1.13'),
    libcurl4: os('libcurl4', '7.81.0', '1ubuntu1.13'),
    'libnghttp2-14': os('libnghttp2-14', '1.43.0', '1build3'),
    'python3.10': os('python3.10', '3.10.12', '1~22.04.2'),
    'libpython3.10-stdlib': os('libpython3.10-stdlib', '3.10.12', '1~22.04.2'),
    runc: os('runc', '1.1.7', '0ubuntu1~22.04.1'),
    libexpat1: os('libexpat1', '2.4.7', '1ubuntu0.2'),
    'libkrb5-3': os('libkrb5-3', '1.19.2', '2ubuntu0.2'),
    git: os('git', '2.34.1', '1ubuntu1.5', 1),
    libgnutls30: os('libgnutls30', '3.7.3', '4ubuntu1.1'),
    'libncursesw6': os('libncursesw6', '6.3', '2'),
    tar: os('tar', '1.34+dfsg', '1build3'),
    passwd: os('passwd', '4.8.1', '2ubuntu2', 1),
    'libsqlite3-0': os('libsqlite3-0', '3.37.2', '2ubuntu0.1'),
    libxml2: os('libxml2', '2.9.13+dfsg', '1ubuntu0.3'),
  },
};

/** One affected package of a CVE on one platform: the INSTALLED key and the fixed version (null: none yet). */
export interface AffectedPackage {
  readonly pkg: string;
  readonly fixed: string | null;
}

/** The facts of a CISA KEV entry, as the catalog holds them. */
export interface KevFacts {
  readonly vendorProject: string;
  readonly product: string;
  readonly vulnerabilityName: string;
  readonly dateAdded: string;
  readonly shortDescription: string;
  readonly requiredAction: string;
  readonly dueDate: string;
  readonly knownRansomwareCampaignUse: 'Known' | 'Unknown';
  readonly notes: string;
  readonly cwes: readonly string[];
}

export interface DemoCve {
  readonly id: string;
  /** One sentence, in our words. */
  readonly description: string;
  /** NVD CVSS v3.1 base score and vector. */
  readonly score: number;
  readonly vector: string;
  /** A public exploit or proof of concept exists (Inspector2 exploitAvailable). */
  readonly exploitAvailable: boolean;
  /** Illustrative EPSS probability (see the file comment). */
  readonly epss: number;
  readonly kev: KevFacts | null;
  /** Affected packages per platform; a platform not listed is not affected. */
  readonly on: Partial<Record<PlatformFamily, readonly AffectedPackage[]>>;
  /** Only instances with one of these roles carry it (application packages); all when absent. */
  readonly roles?: readonly Role[];
  readonly references: readonly string[];
}

const APPLY = 'Apply updates per vendor instructions.';
const MITIGATE = 'Apply mitigations per vendor instructions or discontinue use of the product if mitigations are unavailable.';
const NVD = (id: string): string => `https://nvd.nist.gov/vuln/detail/${id}`;
const SHARED_NOTE = 'This vulnerability affects a common open-source component, third-party library, or a protocol used by different products. Please check with specific vendors for information on patching status. For more information, please see: ';

const SSH_AL2023 = ['openssh', 'openssh-server', 'openssh-clients'];
const SSH_AL2 = ['openssh', 'openssh-server', 'openssh-clients'];
const SSH_UBUNTU = ['openssh-server', 'openssh-client'];

function fixed(pkgs: readonly string[], version: string | null): AffectedPackage[] {
  return pkgs.map((pkg) => ({ pkg, fixed: version }));
}

/** The catalog, most notable first. */
export const DEMO_CVES: readonly DemoCve[] = [
  {
    id: 'CVE-2024-6387',
    description: 'A signal handler race condition in OpenSSH\'s server (sshd) ("regreSSHion") allows an unauthenticated remote attacker to execute code as root on glibc-based Linux systems.',
    score: 8.1, vector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H',
    exploitAvailable: true, epss: 0.38, kev: null,
    on: {
      AL2023: fixed(SSH_AL2023, '0:8.7p1-8.amzn2023.0.11'),
      UBUNTU2204: fixed(SSH_UBUNTU, '1:8.9p1-3ubuntu0.10'),
    },
    references: ['https://www.qualys.com/2024/07/01/cve-2024-6387/regresshion.txt', 'https://www.openssh.com/txt/release-9.8'],
  },
  {
    id: 'CVE-2023-4911',
    description: 'A buffer overflow in the GNU C Library dynamic loader (ld.so) while processing the GLIBC_TUNABLES environment variable ("Looney Tunables") lets a local user run code with elevated privileges through SUID binaries.',
    score: 7.8, vector: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H',
    exploitAvailable: true, epss: 0.74,
    kev: {
      vendorProject: 'GNU', product: 'GNU C Library', vulnerabilityName: 'GNU C Library Buffer Overflow Vulnerability', dateAdded: '2023-11-21',
      shortDescription: "GNU C Library's dynamic loader ld.so contains a buffer overflow vulnerability when processing the GLIBC_TUNABLES environment variable, allowing a local attacker to execute code with elevated privileges.",
      requiredAction: MITIGATE, dueDate: '2023-12-12', knownRansomwareCampaignUse: 'Unknown',
      notes: `${SHARED_NOTE}https://sourceware.org/git/?p=glibc.git;a=commitdiff;h=1056e5b4c3f2d90ed2b4a55f96add28da2f4c8fa, https://access.redhat.com/security/cve/cve-2023-4911, https://www.debian.org/security/2023/dsa-5514 ; https://nvd.nist.gov/vuln/detail/CVE-2023-4911`,
      cwes: ['CWE-122'],
    },
    on: {
      AL2023: fixed(['glibc', 'glibc-common', 'glibc-minimal-langpack'], '0:2.34-52.amzn2023.0.8'),
      UBUNTU2204: fixed(['libc6', 'libc-bin'], '2.35-0ubuntu3.4'),
    },
    references: ['https://www.qualys.com/2023/10/03/cve-2023-4911/looney-tunables-local-privilege-escalation-glibc-ld-so.txt'],
  },
  {
    id: 'CVE-2024-1086',
    description: 'A use-after-free in the Linux kernel netfilter nf_tables component (nft_verdict_init accepting positive drop verdicts) allows local privilege escalation.',
    score: 7.8, vector: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H',
    exploitAvailable: true, epss: 0.82,
    kev: {
      vendorProject: 'Linux', product: 'Kernel', vulnerabilityName: 'Linux Kernel Use-After-Free Vulnerability', dateAdded: '2024-05-30',
      shortDescription: 'Linux kernel contains a use-after-free vulnerability in the netfilter: nf_tables component that allows an attacker to achieve local privilege escalation.',
      requiredAction: MITIGATE, dueDate: '2024-06-20', knownRansomwareCampaignUse: 'Unknown',
      notes: `${SHARED_NOTE}https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/commit/?id=f342de4e2f33e0e39165d8639387aa6c19dff660;   https://nvd.nist.gov/vuln/detail/CVE-2024-1086`,
      cwes: ['CWE-416'],
    },
    on: {
      AL2023: fixed(['kernel'], '0:6.1.77-99.164.amzn2023'),
      AL2: fixed(['kernel'], '0:5.10.209-198.858.amzn2'),
      UBUNTU2204: fixed(['linux-aws', 'linux-image-aws'], '5.15.0.1055.54'),
    },
    references: ['https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/commit/?id=f342de4e2f33e0e39165d8639387aa6c19dff660'],
  },
  {
    id: 'CVE-2021-44228',
    description: 'Apache Log4j2 JNDI lookups in logged messages and parameters ("Log4Shell") let an attacker who controls a logged string load and execute remote code.',
    score: 10.0, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H',
    exploitAvailable: true, epss: 0.94,
    kev: {
      vendorProject: 'Apache', product: 'Log4j2', vulnerabilityName: 'Apache Log4j2 Remote Code Execution Vulnerability', dateAdded: '2021-12-10',
      shortDescription: 'Apache Log4j2 contains a vulnerability where JNDI features do not protect against attacker-controlled JNDI-related endpoints, allowing for remote code execution.',
      requiredAction: 'For all affected software assets for which updates exist, the only acceptable remediation actions are: 1) Apply updates; OR 2) remove affected assets from agency networks. Temporary mitigations using one of the measures provided at https://www.cisa.gov/uscert/ed-22-02-apache-log4j-recommended-mitigation-measures are only acceptable until updates are available.',
      dueDate: '2021-12-24', knownRansomwareCampaignUse: 'Known', notes: NVD('CVE-2021-44228'), cwes: ['CWE-20', 'CWE-400', 'CWE-502'],
    },
    on: { AL2023: fixed(['log4j-core'], '2.15.0'), AL2: fixed(['log4j-core'], '2.15.0') },
    roles: ['api', 'worker', 'legacy'],
    references: ['https://logging.apache.org/log4j/2.x/security.html'],
  },
  {
    id: 'CVE-2023-38545',
    description: 'A heap buffer overflow in the SOCKS5 proxy handshake of curl and libcurl, when a long host name is resolved by the proxy, may allow code execution.',
    score: 9.8, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    exploitAvailable: true, epss: 0.27, kev: null,
    on: {
      AL2023: fixed(['curl-minimal', 'libcurl-minimal'], '0:8.3.0-1.amzn2023.0.2'),
      AL2: fixed(['curl', 'libcurl'], '0:8.3.0-1.amzn2.0.4'),
      UBUNTU2204: fixed(['curl', 'libcurl4'], '7.81.0-1ubuntu1.14'),
    },
    references: ['https://curl.se/docs/CVE-2023-38545.html'],
  },
  {
    id: 'CVE-2021-4034',
    description: 'pkexec in polkit mishandles an empty argument list ("PwnKit"), letting any local user write out of bounds and gain root.',
    score: 7.8, vector: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H',
    exploitAvailable: true, epss: 0.86,
    kev: {
      vendorProject: 'Red Hat', product: 'Polkit', vulnerabilityName: 'Red Hat Polkit Out-of-Bounds Read and Write Vulnerability', dateAdded: '2022-06-27',
      shortDescription: 'The Red Hat polkit pkexec utility contains an out-of-bounds read and write vulnerability that allows for privilege escalation with administrative rights.',
      requiredAction: APPLY, dueDate: '2022-07-18', knownRansomwareCampaignUse: 'Unknown', notes: NVD('CVE-2021-4034'), cwes: ['CWE-787'],
    },
    on: { AL2: fixed(['polkit'], '0:0.112-26.amzn2.1') },
    references: ['https://www.qualys.com/2022/01/25/cve-2021-4034/pwnkit.txt'],
  },
  {
    id: 'CVE-2022-0847',
    description: 'Uninitialised pipe buffer flags in the Linux kernel ("Dirty Pipe") let an unprivileged local user overwrite data in read-only files, including SUID binaries.',
    score: 7.8, vector: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H',
    exploitAvailable: true, epss: 0.86,
    kev: {
      vendorProject: 'Linux', product: 'Kernel', vulnerabilityName: 'Linux Kernel Privilege Escalation Vulnerability', dateAdded: '2022-04-25',
      shortDescription: 'Linux kernel contains an improper initialization vulnerability where an unprivileged local user could escalate their privileges on the system. This vulnerability has the moniker of "Dirty Pipe."',
      requiredAction: APPLY, dueDate: '2022-05-16', knownRansomwareCampaignUse: 'Unknown', notes: NVD('CVE-2022-0847'), cwes: ['CWE-665'],
    },
    on: { AL2: fixed(['kernel'], '0:5.10.102-99.473.amzn2') },
    references: ['https://dirtypipe.cm4all.com/'],
  },
  {
    id: 'CVE-2021-3156',
    description: 'An off-by-one error in sudo\'s command-line unescaping ("Baron Samedit") causes a heap overflow that lets any local user gain root.',
    score: 7.8, vector: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H',
    exploitAvailable: true, epss: 0.87,
    kev: {
      vendorProject: 'Sudo', product: 'Sudo', vulnerabilityName: 'Sudo Heap-Based Buffer Overflow Vulnerability', dateAdded: '2022-04-06',
      shortDescription: 'Sudo contains an off-by-one error that can result in a heap-based buffer overflow, which allows for privilege escalation.',
      requiredAction: APPLY, dueDate: '2022-04-27', knownRansomwareCampaignUse: 'Unknown', notes: NVD('CVE-2021-3156'), cwes: ['CWE-122', 'CWE-193'],
    },
    on: { AL2: fixed(['sudo'], '0:1.8.23-10.amzn2.2') },
    references: ['https://www.sudo.ws/security/advisories/unescape_overflow/'],
  },
  {
    id: 'CVE-2023-44487',
    description: 'The HTTP/2 protocol allows a denial of service by rapidly creating and cancelling streams ("Rapid Reset"); nghttp2 and nginx are among the affected implementations.',
    score: 7.5, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
    exploitAvailable: true, epss: 0.82,
    kev: {
      vendorProject: 'IETF', product: 'HTTP/2', vulnerabilityName: 'HTTP/2 Rapid Reset Attack Vulnerability', dateAdded: '2023-10-10',
      shortDescription: 'HTTP/2 contains a rapid reset vulnerability that allows for a distributed denial-of-service attack (DDoS).',
      requiredAction: MITIGATE, dueDate: '2023-10-31', knownRansomwareCampaignUse: 'Unknown',
      notes: 'This vulnerability affects a common open-source component, third-party library, or a protocol used by different products. Please check with specific vendors for information on patching status.   For more information, please see: https://blog.cloudflare.com/technical-breakdown-http2-rapid-reset-ddos-attack/ ; https://nvd.nist.gov/vuln/detail/CVE-2023-44487',
      cwes: ['CWE-400'],
    },
    on: {
      AL2023: fixed(['libnghttp2'], '0:1.57.0-1.amzn2023.0.1'),
      UBUNTU2204: fixed(['libnghttp2-14'], '1.43.0-1ubuntu0.1'),
    },
    references: ['https://nghttp2.org/blog/2023/10/10/nghttp2-v1-57-0/'],
  },
  {
    id: 'CVE-2022-3602',
    description: 'A four-byte stack buffer overflow in OpenSSL 3.0 X.509 certificate name constraint checking (punycode decoding) can crash or, in rare configurations, compromise a client or server.',
    score: 7.5, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
    exploitAvailable: true, epss: 0.21, kev: null,
    on: { UBUNTU2204: fixed(['openssl', 'libssl3'], '3.0.2-0ubuntu1.7') },
    references: ['https://www.openssl.org/news/secadv/20221101.txt'],
  },
  {
    id: 'CVE-2014-6271',
    description: 'GNU Bash executes trailing commands after function definitions in environment variables ("Shellshock"), allowing remote code execution through CGI scripts and other environment-passing services.',
    score: 9.8, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    exploitAvailable: true, epss: 0.94,
    kev: {
      vendorProject: 'GNU', product: 'Bourne-Again Shell (Bash)', vulnerabilityName: 'GNU Bourne-Again Shell (Bash) Arbitrary Code Execution Vulnerability', dateAdded: '2022-01-28',
      shortDescription: 'GNU Bash through 4.3 processes trailing strings after function definitions in the values of environment variables, which allows remote attackers to execute code.',
      requiredAction: APPLY, dueDate: '2022-07-28', knownRansomwareCampaignUse: 'Unknown', notes: NVD('CVE-2014-6271'), cwes: ['CWE-78'],
    },
    on: { AL2: fixed(['bash'], '0:4.2.46-34.amzn2') },
    roles: ['legacy'],
    references: ['https://www.openwall.com/lists/oss-security/2014/09/24/10'],
  },
  {
    id: 'CVE-2014-7169',
    description: 'An incomplete fix for Shellshock (CVE-2014-6271) left GNU Bash writing files or running code from crafted environment variables.',
    score: 9.8, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    exploitAvailable: true, epss: 0.94,
    kev: {
      vendorProject: 'GNU', product: 'Bourne-Again Shell (Bash)', vulnerabilityName: 'GNU Bourne-Again Shell (Bash) Arbitrary Code Execution Vulnerability', dateAdded: '2022-01-28',
      shortDescription: 'GNU Bash through 4.3 processes trailing strings after function definitions in the values of environment variables, which allows remote attackers to execute code. This CVE correctly remediates the vulnerability in CVE-2014-6271.',
      requiredAction: APPLY, dueDate: '2022-07-28', knownRansomwareCampaignUse: 'Unknown', notes: NVD('CVE-2014-7169'), cwes: ['CWE-78'],
    },
    on: { AL2: fixed(['bash'], '0:4.2.46-34.amzn2') },
    roles: ['legacy'],
    references: ['https://www.openwall.com/lists/oss-security/2014/09/24/32'],
  },
  {
    id: 'CVE-2023-48795',
    description: 'The SSH transport protocol with ChaCha20-Poly1305 or Encrypt-then-MAC lets a man-in-the-middle drop messages at the start of the secure channel ("Terrapin"), downgrading connection security.',
    score: 5.9, vector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:N',
    exploitAvailable: true, epss: 0.54, kev: null,
    on: {
      AL2023: fixed(SSH_AL2023, '0:8.7p1-8.amzn2023.0.7'),
      AL2: fixed(SSH_AL2, '0:7.4p1-22.amzn2.0.6'),
      UBUNTU2204: fixed(SSH_UBUNTU, '1:8.9p1-3ubuntu0.6'),
    },
    references: ['https://terrapin-attack.com/'],
  },
  {
    id: 'CVE-2021-45046',
    description: 'The Log4j 2.15.0 fix for Log4Shell was incomplete: Thread Context lookups in non-default pattern layouts still allow JNDI injection and code execution.',
    score: 9.0, vector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:H/A:H',
    exploitAvailable: true, epss: 0.93,
    kev: {
      vendorProject: 'Apache', product: 'Log4j2', vulnerabilityName: 'Apache Log4j2 Deserialization of Untrusted Data Vulnerability', dateAdded: '2023-05-01',
      shortDescription: 'Apache Log4j2 contains a deserialization of untrusted data vulnerability due to the incomplete fix of CVE-2021-44228, where the Thread Context Lookup Pattern is vulnerable to remote code execution in certain non-default configurations.',
      requiredAction: APPLY, dueDate: '2023-05-22', knownRansomwareCampaignUse: 'Known',
      notes: 'https://logging.apache.org/log4j/2.x/security.html; https://nvd.nist.gov/vuln/detail/CVE-2021-45046', cwes: ['CWE-917'],
    },
    on: { AL2023: fixed(['log4j-core'], '2.16.0'), AL2: fixed(['log4j-core'], '2.16.0') },
    roles: ['api', 'worker', 'legacy'],
    references: ['https://logging.apache.org/log4j/2.x/security.html'],
  },
  {
    id: 'CVE-2021-45105',
    description: 'Apache Log4j2 2.0-alpha1 to 2.16.0 does not protect against uncontrolled recursion from self-referential lookups, allowing a denial of service.',
    score: 5.9, vector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:H',
    exploitAvailable: true, epss: 0.68, kev: null,
    on: { AL2023: fixed(['log4j-core'], '2.17.0'), AL2: fixed(['log4j-core'], '2.17.0') },
    roles: ['api', 'worker', 'legacy'],
    references: ['https://logging.apache.org/log4j/2.x/security.html'],
  },
  {
    id: 'CVE-2022-22965',
    description: 'Spring MVC and WebFlux applications on JDK 9+ can be driven to remote code execution through data binding to the class loader ("Spring4Shell").',
    score: 9.8, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    exploitAvailable: true, epss: 0.94,
    kev: {
      vendorProject: 'VMware', product: 'Spring Framework', vulnerabilityName: 'Spring Framework JDK 9+ Remote Code Execution Vulnerability', dateAdded: '2022-04-04',
      shortDescription: 'Spring MVC or Spring WebFlux application running on JDK 9+ may be vulnerable to remote code execution (RCE) via data binding.',
      requiredAction: APPLY, dueDate: '2022-04-25', knownRansomwareCampaignUse: 'Unknown', notes: NVD('CVE-2022-22965'), cwes: ['CWE-94'],
    },
    on: { AL2023: fixed(['spring-beans'], '5.3.18') },
    roles: ['api'],
    references: ['https://spring.io/security/cve-2022-22965'],
  },
  {
    id: 'CVE-2021-41773',
    description: 'A path normalisation flaw in Apache HTTP Server 2.4.49 allows path traversal outside the document root and, with CGI enabled, remote code execution.',
    score: 7.5, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N',
    exploitAvailable: true, epss: 0.94,
    kev: {
      vendorProject: 'Apache', product: 'HTTP Server', vulnerabilityName: 'Apache HTTP Server Path Traversal Vulnerability', dateAdded: '2021-11-03',
      shortDescription: 'Apache HTTP Server contains a path traversal vulnerability that allows an attacker to perform remote code execution if files outside directories configured by Alias-like directives are not under default "require all denied" or if CGI scripts are enabled. The original patch issued under this CVE ID is insufficient, please review remediation information under CVE-2021-42013.',
      requiredAction: APPLY, dueDate: '2021-11-17', knownRansomwareCampaignUse: 'Known', notes: NVD('CVE-2021-41773'), cwes: ['CWE-22'],
    },
    on: { AL2: fixed(['httpd', 'httpd-tools'], '0:2.4.51-1.amzn2') },
    roles: ['legacy'],
    references: ['https://httpd.apache.org/security/vulnerabilities_24.html'],
  },
  {
    id: 'CVE-2021-42013',
    description: 'The fix for CVE-2021-41773 in Apache HTTP Server 2.4.50 was insufficient: encoded path traversal still reaches files outside the document root and CGI scripts.',
    score: 9.8, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    exploitAvailable: true, epss: 0.94,
    kev: {
      vendorProject: 'Apache', product: 'HTTP Server', vulnerabilityName: 'Apache HTTP Server Path Traversal Vulnerability', dateAdded: '2021-11-03',
      shortDescription: 'Apache HTTP Server contains a path traversal vulnerability that allows an attacker to perform remote code execution if files outside directories configured by Alias-like directives are not under default require all denied or if CGI scripts are enabled. This CVE ID resolves an incomplete patch for CVE-2021-41773.',
      requiredAction: APPLY, dueDate: '2021-11-17', knownRansomwareCampaignUse: 'Known', notes: NVD('CVE-2021-42013'), cwes: ['CWE-22'],
    },
    on: { AL2: fixed(['httpd', 'httpd-tools'], '0:2.4.51-1.amzn2') },
    roles: ['legacy'],
    references: ['https://httpd.apache.org/security/vulnerabilities_24.html'],
  },
  {
    id: 'CVE-2023-38408',
    description: 'The PKCS#11 support of OpenSSH\'s ssh-agent loads attacker-chosen shared libraries when the agent is forwarded to a malicious host, allowing remote code execution.',
    score: 9.8, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    exploitAvailable: true, epss: 0.55, kev: null,
    on: { AL2: fixed(SSH_AL2, '0:7.4p1-22.amzn2.0.5') },
    references: ['https://www.openssh.com/txt/release-9.3p2'],
  },
  {
    id: 'CVE-2018-15473',
    description: 'OpenSSH through 7.7 answers differently for valid and invalid user names during public key authentication, allowing user enumeration.',
    score: 5.3, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N',
    exploitAvailable: true, epss: 0.31, kev: null,
    on: { AL2: fixed(SSH_AL2, '0:7.4p1-22.amzn2.0.2') },
    references: ['https://www.openwall.com/lists/oss-security/2018/08/15/5'],
  },
  {
    id: 'CVE-2022-37434',
    description: 'zlib through 1.2.12 has a heap buffer over-read or overflow in inflate() when an application retrieves a large gzip header extra field with inflateGetHeader.',
    score: 9.8, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    exploitAvailable: false, epss: 0.05, kev: null,
    on: { AL2: fixed(['zlib'], '0:1.2.7-19.amzn2.0.2') },
    references: ['https://github.com/madler/zlib/issues/723'],
  },
  {
    id: 'CVE-2018-25032',
    description: 'zlib before 1.2.12 can corrupt memory while deflating input with many distant matches.',
    score: 7.5, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
    exploitAvailable: false, epss: 0.02, kev: null,
    on: { AL2: fixed(['zlib'], '0:1.2.7-19.amzn2.0.1') },
    references: ['https://www.openwall.com/lists/oss-security/2022/03/24/1'],
  },
  {
    id: 'CVE-2023-0286',
    description: 'A type confusion in OpenSSL X.400 address processing inside GeneralName lets an attacker read memory or crash a process that checks CRLs.',
    score: 7.4, vector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:H',
    exploitAvailable: false, epss: 0.01, kev: null,
    on: {
      AL2: fixed(['openssl', 'openssl-libs'], '1:1.0.2k-24.amzn2.0.6'),
      UBUNTU2204: fixed(['openssl', 'libssl3'], '3.0.2-0ubuntu1.8'),
    },
    references: ['https://www.openssl.org/news/secadv/20230207.txt'],
  },
  {
    id: 'CVE-2022-0778',
    description: 'BN_mod_sqrt() in OpenSSL loops forever on non-prime moduli, so parsing a crafted certificate causes a denial of service.',
    score: 7.5, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
    exploitAvailable: true, epss: 0.05, kev: null,
    on: { AL2: fixed(['openssl', 'openssl-libs'], '1:1.0.2k-24.amzn2.0.2') },
    references: ['https://www.openssl.org/news/secadv/20220315.txt'],
  },
  {
    id: 'CVE-2023-0464',
    description: 'OpenSSL X.509 certificate chains with policy constraints can consume exponential resources during verification, allowing a denial of service.',
    score: 7.5, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
    exploitAvailable: false, epss: 0.01, kev: null,
    on: {
      AL2023: fixed(['openssl', 'openssl-libs'], '1:3.0.8-1.amzn2023.0.5'),
      UBUNTU2204: fixed(['openssl', 'libssl3'], '3.0.2-0ubuntu1.9'),
    },
    references: ['https://www.openssl.org/news/secadv/20230322.txt'],
  },
  {
    id: 'CVE-2022-4304',
    description: 'A timing side channel in OpenSSL RSA decryption may let a remote attacker recover a plaintext over many trial connections (a Bleichenbacher-style attack).',
    score: 5.9, vector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N',
    exploitAvailable: false, epss: 0.002, kev: null,
    on: {
      AL2: fixed(['openssl', 'openssl-libs'], '1:1.0.2k-24.amzn2.0.6'),
      UBUNTU2204: fixed(['openssl', 'libssl3'], '3.0.2-0ubuntu1.8'),
    },
    references: ['https://www.openssl.org/news/secadv/20230207.txt'],
  },
  {
    id: 'CVE-2023-0215',
    description: 'A use-after-free in OpenSSL BIO_new_NDEF when streaming ASN.1 data can crash applications that process untrusted S/MIME data.',
    score: 7.5, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
    exploitAvailable: false, epss: 0.01, kev: null,
    on: {
      AL2: fixed(['openssl', 'openssl-libs'], '1:1.0.2k-24.amzn2.0.6'),
      UBUNTU2204: fixed(['openssl', 'libssl3'], '3.0.2-0ubuntu1.8'),
    },
    references: ['https://www.openssl.org/news/secadv/20230207.txt'],
  },
  {
    id: 'CVE-2023-3446',
    description: 'OpenSSL DH_check() takes excessive time on very large modulus values, so checking an untrusted DH key can cause a denial of service.',
    score: 5.3, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L',
    exploitAvailable: false, epss: 0.003, kev: null,
    on: {
      AL2023: fixed(['openssl', 'openssl-libs'], '1:3.0.8-1.amzn2023.0.6'),
      UBUNTU2204: fixed(['openssl', 'libssl3'], '3.0.2-0ubuntu1.10'),
    },
    references: ['https://www.openssl.org/news/secadv/20230719.txt'],
  },
  {
    id: 'CVE-2024-0727',
    description: 'OpenSSL dereferences a NULL pointer when a PKCS12 file has optional ContentInfo fields absent, crashing applications that load untrusted PKCS12 files.',
    score: 5.5, vector: 'CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H',
    exploitAvailable: false, epss: 0.001, kev: null,
    on: {
      AL2023: fixed(['openssl', 'openssl-libs'], '1:3.0.8-1.amzn2023.0.11'),
      UBUNTU2204: fixed(['openssl', 'libssl3'], '3.0.2-0ubuntu1.14'),
    },
    references: ['https://www.openssl.org/news/secadv/20240125.txt'],
  },
  {
    id: 'CVE-2022-32221',
    description: 'libcurl reusing a handle for an HTTP POST after a PUT may send the wrong data or use freed memory, exposing data or crashing.',
    score: 9.8, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    exploitAvailable: false, epss: 0.01, kev: null,
    on: { AL2: fixed(['curl', 'libcurl'], '0:7.86.0-1.amzn2.0.1') },
    references: ['https://curl.se/docs/CVE-2022-32221.html'],
  },
  {
    id: 'CVE-2023-38546',
    description: 'libcurl can load cookies from a file named "none" in the working directory when duplicating an easy handle, allowing cookie injection under specific conditions.',
    score: 3.7, vector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:L/A:N',
    exploitAvailable: false, epss: 0.002, kev: null,
    on: {
      AL2023: fixed(['curl-minimal', 'libcurl-minimal'], '0:8.3.0-1.amzn2023.0.2'),
      AL2: fixed(['curl', 'libcurl'], '0:8.3.0-1.amzn2.0.4'),
      UBUNTU2204: fixed(['curl', 'libcurl4'], '7.81.0-1ubuntu1.14'),
    },
    references: ['https://curl.se/docs/CVE-2023-38546.html'],
  },
  {
    id: 'CVE-2024-21626',
    description: 'runc leaks an internal file descriptor into the container ("Leaky Vessels"), so a malicious image or exec can reach the host filesystem and escape the container.',
    score: 8.6, vector: 'CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H',
    exploitAvailable: true, epss: 0.04, kev: null,
    on: {
      AL2023: fixed(['runc'], '0:1.1.11-1.amzn2023.0.2'),
      UBUNTU2204: fixed(['runc'], '1.1.7-0ubuntu1~22.04.2'),
    },
    roles: ['ci', 'worker', 'sandbox'],
    references: ['https://github.com/opencontainers/runc/security/advisories/GHSA-xr7r-f8xq-vfvv'],
  },
  {
    id: 'CVE-2023-24329',
    description: 'Python urllib.parse accepts URLs that start with blank characters, bypassing block lists that rely on urlsplit.',
    score: 7.5, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N',
    exploitAvailable: false, epss: 0.003, kev: null,
    on: { AL2023: fixed(['python3', 'python3-libs'], '0:3.9.16-1.amzn2023.0.4') },
    references: ['https://github.com/python/cpython/issues/102153'],
  },
  {
    id: 'CVE-2023-40217',
    description: 'Python ssl sockets closed right after the handshake can let unencrypted data be read by the server as if it were authenticated TLS data.',
    score: 5.3, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N',
    exploitAvailable: false, epss: 0.002, kev: null,
    on: {
      AL2023: fixed(['python3', 'python3-libs'], '0:3.9.16-1.amzn2023.0.5'),
      UBUNTU2204: fixed(['python3.10', 'libpython3.10-stdlib'], '3.10.12-1~22.04.3'),
    },
    references: ['https://mail.python.org/archives/list/security-announce@python.org/thread/PEPLII27KYHLF4AK3ZQGKYNCRERG4YXY/'],
  },
  {
    id: 'CVE-2023-50387',
    description: 'DNSSEC validation of zones with many keys and signatures costs resolvers excessive CPU ("KeyTrap"), allowing a denial of service of BIND, Unbound and others.',
    score: 7.5, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
    exploitAvailable: true, epss: 0.05, kev: null,
    on: { AL2023: fixed(['bind-libs', 'bind-license'], '32:9.16.48-1.amzn2023.0.1') },
    roles: ['db', 'api'],
    references: ['https://kb.isc.org/docs/cve-2023-50387'],
  },
  {
    id: 'CVE-2022-42889',
    description: 'Apache Commons Text variable interpolation enables script, dns and url lookups by default ("Text4Shell"), so untrusted input can run code.',
    score: 9.8, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    exploitAvailable: true, epss: 0.93, kev: null,
    on: { AL2023: fixed(['commons-text'], '1.10.0') },
    roles: ['api', 'worker'],
    references: ['https://lists.apache.org/thread/n2bd4vdsgkqh2tm14l1wyc3jyol7s1om'],
  },
  {
    id: 'CVE-2023-25690',
    description: 'Apache HTTP Server mod_proxy with RewriteRule or ProxyPassMatch re-inserts user data into proxied requests, allowing HTTP request smuggling.',
    score: 9.8, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    exploitAvailable: true, epss: 0.4, kev: null,
    on: { AL2: fixed(['httpd', 'httpd-tools'], '0:2.4.56-1.amzn2') },
    roles: ['legacy'],
    references: ['https://httpd.apache.org/security/vulnerabilities_24.html'],
  },
  {
    id: 'CVE-2022-2586',
    description: 'A use-after-free in the Linux kernel nf_tables when an nft object references a set in another table allows local privilege escalation.',
    score: 7.8, vector: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H',
    exploitAvailable: true, epss: 0.003,
    kev: {
      vendorProject: 'Linux', product: 'Kernel', vulnerabilityName: 'Linux Kernel Use-After-Free Vulnerability', dateAdded: '2024-06-26',
      shortDescription: 'Linux Kernel contains a use-after-free vulnerability in the nft_object, allowing local attackers to escalate privileges. ',
      requiredAction: 'Apply updates per vendor instructions or discontinue use of the product if updates are unavailable.',
      dueDate: '2024-07-17', knownRansomwareCampaignUse: 'Unknown',
      notes: 'This vulnerability affects a common open-source component, third-party library, or a protocol used by different products. For more information, please see: https://seclists.org/oss-sec/2022/q3/131;  https://nvd.nist.gov/vuln/detail/CVE-2022-2586',
      cwes: ['CWE-416'],
    },
    on: { AL2: fixed(['kernel'], '0:5.10.135-122.509.amzn2') },
    references: ['https://seclists.org/oss-sec/2022/q3/131'],
  },
  {
    id: 'CVE-2024-53104',
    description: 'The Linux kernel USB Video Class driver mis-sizes frame buffers for UVC_VS_UNDEFINED frames, an out-of-bounds write reachable by a malicious USB device.',
    score: 7.8, vector: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H',
    exploitAvailable: false, epss: 0.003,
    kev: {
      vendorProject: 'Linux', product: 'Kernel', vulnerabilityName: 'Linux Kernel Out-of-Bounds Write Vulnerability', dateAdded: '2025-02-05',
      shortDescription: 'Linux kernel contains an out-of-bounds write vulnerability in the uvc_parse_streaming component of the USB Video Class (UVC) driver that could allow for physical escalation of privilege.',
      requiredAction: MITIGATE, dueDate: '2025-02-26', knownRansomwareCampaignUse: 'Unknown',
      notes: 'https://lore.kernel.org/linux-cve-announce/2024120232-CVE-2024-53104-d781@gregkh/ ; https://nvd.nist.gov/vuln/detail/CVE-2024-53104',
      cwes: ['CWE-787'],
    },
    on: {
      AL2023: fixed(['kernel'], '0:6.1.119-129.201.amzn2023'),
      UBUNTU2204: fixed(['linux-aws', 'linux-image-aws'], '5.15.0.1077.80'),
    },
    references: ['https://lore.kernel.org/linux-cve-announce/2024120232-CVE-2024-53104-d781@gregkh/'],
  },
];

const LOCAL_PRIV_ESC = 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H';
const NET_DOS = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H';
const NET_RCE = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';

/** A CVE that is not KEV-listed, in one line. */
function plain(
  id: string, description: string, score: number, vector: string, on: DemoCve['on'],
  opts: { exploit?: boolean; epss?: number; roles?: readonly Role[]; ref?: string } = {},
): DemoCve {
  return {
    id, description, score, vector, exploitAvailable: opts.exploit ?? false, epss: opts.epss ?? 0.002, kev: null, on,
    ...(opts.roles ? { roles: opts.roles } : {}),
    references: [opts.ref ?? NVD(id)],
  };
}

const KERNEL_AL2 = (fix: string): AffectedPackage[] => fixed(['kernel'], `0:${fix}.amzn2`);
const KERNEL_AL2023 = (fix: string): AffectedPackage[] => fixed(['kernel'], `0:${fix}.amzn2023`);

/**
 * Less famous CVEs in packages every Linux host carries (kernel, openssl, curl, expat, krb5,
 * python ...): the long tail that makes a real Inspector2 inventory a few hundred findings long.
 */
export const TAIL_CVES: readonly DemoCve[] = [
  plain('CVE-2023-3609', 'A use-after-free in the Linux kernel net/sched cls_u32 classifier allows local privilege escalation.', 7.8, LOCAL_PRIV_ESC,
    { AL2: KERNEL_AL2('5.10.186-179.751') }, { epss: 0.001 }),
  plain('CVE-2023-3776', 'A use-after-free in the Linux kernel net/sched cls_fw classifier allows local privilege escalation.', 7.8, LOCAL_PRIV_ESC,
    { AL2: KERNEL_AL2('5.10.186-179.751') }, { epss: 0.001 }),
  plain('CVE-2023-4622', 'A use-after-free in the Linux kernel af_unix socket code (unix_stream_sendpage) allows local privilege escalation.', 7.8, LOCAL_PRIV_ESC,
    { AL2: KERNEL_AL2('5.10.192-183.736') }, { epss: 0.001 }),
  plain('CVE-2023-4623', 'A use-after-free in the Linux kernel net/sched sch_hfsc scheduler allows local privilege escalation.', 7.8, LOCAL_PRIV_ESC,
    { AL2: KERNEL_AL2('5.10.192-183.736') }, { epss: 0.001 }),
  plain('CVE-2023-4921', 'A use-after-free in the Linux kernel net/sched sch_qfq scheduler allows local privilege escalation.', 7.8, LOCAL_PRIV_ESC,
    { AL2: KERNEL_AL2('5.10.192-183.736') }, { epss: 0.001 }),
  plain('CVE-2023-3390', 'A use-after-free in the Linux kernel netfilter nf_tables error path allows local privilege escalation.', 7.8, LOCAL_PRIV_ESC,
    { AL2: KERNEL_AL2('5.10.184-175.731') }, { epss: 0.002 }),
  plain('CVE-2023-35001', 'An out-of-bounds read and write in the Linux kernel nf_tables nft_byteorder allows local privilege escalation.', 7.8, LOCAL_PRIV_ESC,
    { AL2: KERNEL_AL2('5.10.186-179.751') }, { epss: 0.002, exploit: true }),
  plain('CVE-2023-6817', 'A use-after-free in the Linux kernel nf_tables pipapo set walk allows local privilege escalation.', 7.8, LOCAL_PRIV_ESC,
    { AL2: KERNEL_AL2('5.10.205-195.804'), AL2023: KERNEL_AL2023('6.1.72-96.166') }, { epss: 0.001 }),
  plain('CVE-2023-6931', 'A heap out-of-bounds write in the Linux kernel perf subsystem (read_format sizing) allows local privilege escalation.', 7.8, LOCAL_PRIV_ESC,
    { AL2: KERNEL_AL2('5.10.205-195.804'), AL2023: KERNEL_AL2023('6.1.72-96.166') }, { epss: 0.001 }),
  plain('CVE-2022-25235', 'Expat before 2.4.5 lacks UTF-8 validation of encoded characters in some contexts, leading to memory corruption.', 9.8, NET_RCE,
    { AL2: fixed(['expat'], '0:2.1.0-15.amzn2.0.3') }, { epss: 0.01 }),
  plain('CVE-2022-25236', 'Expat before 2.4.5 allows attackers to insert namespace-separator characters into namespace URIs, leading to memory corruption.', 9.8, NET_RCE,
    { AL2: fixed(['expat'], '0:2.1.0-15.amzn2.0.3') }, { epss: 0.02 }),
  plain('CVE-2024-45491', 'An integer overflow in Expat dtdCopy on 32-bit size computations (nDefaultAtts) can corrupt memory.', 9.8, NET_RCE,
    { AL2023: fixed(['expat'], '0:2.5.0-1.amzn2023.0.4'), AL2: fixed(['expat'], '0:2.1.0-15.amzn2.0.5'), UBUNTU2204: fixed(['libexpat1'], '2.4.7-1ubuntu0.4') }, { epss: 0.002 }),
  plain('CVE-2024-45492', 'An integer overflow in Expat nextScaffoldPart (m_groupSize) can corrupt memory.', 9.8, NET_RCE,
    { AL2023: fixed(['expat'], '0:2.5.0-1.amzn2023.0.4'), AL2: fixed(['expat'], '0:2.1.0-15.amzn2.0.5'), UBUNTU2204: fixed(['libexpat1'], '2.4.7-1ubuntu0.4') }, { epss: 0.002 }),
  plain('CVE-2022-42898', 'Integer overflows in the MIT Kerberos PAC parsing allow an authenticated attacker to cause a heap overflow in the KDC or kadmind.', 8.8,
    'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H',
    { AL2: fixed(['krb5-libs'], '0:1.15.1-55.amzn2.2.6'), UBUNTU2204: fixed(['libkrb5-3'], '1.19.2-2ubuntu0.1') }, { epss: 0.01 }),
  plain('CVE-2024-37371', 'MIT Kerberos GSS message token handling can read beyond the buffer end on invalid length fields.', 9.1,
    'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:H',
    { AL2023: fixed(['krb5-libs'], '0:1.21.3-1.amzn2023.0.1'), AL2: fixed(['krb5-libs'], '0:1.15.1-55.amzn2.2.8'), UBUNTU2204: fixed(['libkrb5-3'], '1.19.2-2ubuntu0.4') }, { epss: 0.003 }),
  plain('CVE-2022-23521', 'An integer overflow in git parsing of .gitattributes lines allows heap reads and writes, exploitable through a malicious repository.', 9.8, NET_RCE,
    { AL2: fixed(['git'], '0:2.39.1-1.amzn2.0.1'), UBUNTU2204: fixed(['git'], '1:2.34.1-1ubuntu1.6') }, { epss: 0.01, roles: ['ci', 'sandbox'] }),
  plain('CVE-2022-41903', 'An integer overflow in git log --format padding operators allows heap writes and code execution through git archive.', 9.8, NET_RCE,
    { AL2: fixed(['git'], '0:2.39.1-1.amzn2.0.1'), UBUNTU2204: fixed(['git'], '1:2.34.1-1ubuntu1.6') }, { epss: 0.01, roles: ['ci', 'sandbox'] }),
  plain('CVE-2023-0361', 'A timing side channel in GnuTLS RSA-PSK ClientKeyExchange handling may let an attacker decrypt captured traffic.', 7.4,
    'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N',
    { UBUNTU2204: fixed(['libgnutls30'], '3.7.3-4ubuntu1.2') }, { epss: 0.002 }),
  plain('CVE-2023-29491', 'ncurses mishandles terminfo data from environment variables in setuid programs, allowing local memory corruption.', 7.8, LOCAL_PRIV_ESC,
    { AL2023: fixed(['ncurses-libs', 'ncurses-base'], '0:6.2-4.20200222.amzn2023.0.5'), AL2: fixed(['ncurses-libs'], '0:6.0-8.20170212.amzn2.1.7'), UBUNTU2204: fixed(['libncursesw6'], '6.3-2ubuntu0.1') }, { epss: 0.001 }),
  plain('CVE-2022-48303', 'GNU tar has a one-byte out-of-bounds read when parsing a crafted archive with a malformed mtime header.', 5.5,
    'CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H',
    { AL2023: fixed(['tar'], '2:1.34-1.amzn2023.0.4'), AL2: fixed(['tar'], '2:1.26-35.amzn2.0.3'), UBUNTU2204: fixed(['tar'], '1.34+dfsg-1ubuntu0.1.22.04.1') }, { epss: 0.001 }),
  plain('CVE-2023-4641', 'shadow-utils gpasswd and passwd may leave a password in memory after a failed confirmation, where another local process could read it.', 5.5,
    'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N',
    { AL2023: fixed(['shadow-utils'], '2:4.9-12.amzn2023.0.4'), UBUNTU2204: fixed(['passwd'], '1:4.8.1-2ubuntu2.2') }, { epss: 0.001 }),
  plain('CVE-2023-29383', 'shadow-utils chfn accepts control characters in /etc/passwd fields, letting a local user mislead administrators.', 3.3,
    'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:L/A:N',
    { AL2023: fixed(['shadow-utils'], '2:4.9-12.amzn2023.0.4'), AL2: fixed(['shadow-utils'], '2:4.1.5.1-24.amzn2.0.4'), UBUNTU2204: fixed(['passwd'], '1:4.8.1-2ubuntu2.2') }, { epss: 0.001 }),
  plain('CVE-2023-26604', 'systemd before 247 does not stop sudo-run systemctl from spawning a pager as root, allowing local privilege escalation.', 7.8, LOCAL_PRIV_ESC,
    { AL2: fixed(['systemd', 'systemd-libs'], '0:219-78.amzn2.0.22') }, { epss: 0.002, exploit: true }),
  plain('CVE-2023-7104', 'A heap buffer overflow in the SQLite session extension (sessionReadRecord) can be triggered by crafted changesets.', 7.3,
    'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:L',
    { AL2023: fixed(['sqlite-libs'], '0:3.40.0-1.amzn2023.0.4'), UBUNTU2204: fixed(['libsqlite3-0'], '3.37.2-2ubuntu0.3') }, { epss: 0.002 }),
  plain('CVE-2024-25062', 'A use-after-free in libxml2 xmlTextReader when processing XInclude with DTD validation can crash the parser.', 7.5, NET_DOS,
    { AL2023: fixed(['libxml2'], '0:2.10.4-1.amzn2023.0.6'), UBUNTU2204: fixed(['libxml2'], '2.9.13+dfsg-1ubuntu0.4') }, { epss: 0.003 }),
  plain('CVE-2023-39615', 'libxml2 xmlSAX2StartElement can read out of bounds when a crafted document is parsed with a custom SAX handler.', 6.5,
    'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H',
    { AL2023: fixed(['libxml2'], '0:2.10.4-1.amzn2023.0.5'), UBUNTU2204: fixed(['libxml2'], '2.9.13+dfsg-1ubuntu0.4') }, { epss: 0.002 }),
  plain('CVE-2023-27043', 'Python email.utils parseaddr and getaddresses mis-parse addresses containing special characters, which can defeat domain checks.', 5.3,
    'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:L/A:N',
    { AL2023: fixed(['python3', 'python3-libs'], '0:3.9.16-1.amzn2023.0.9'), UBUNTU2204: fixed(['python3.10', 'libpython3.10-stdlib'], '3.10.12-1~22.04.5') }, { epss: 0.002 }),
  plain('CVE-2024-6232', 'Regular expressions in Python tarfile header parsing backtrack excessively on crafted archives (ReDoS).', 7.5, NET_DOS,
    { AL2023: fixed(['python3', 'python3-libs'], '0:3.9.20-1.amzn2023.0.1'), UBUNTU2204: fixed(['python3.10', 'libpython3.10-stdlib'], '3.10.12-1~22.04.6') }, { epss: 0.002 }),
  plain('CVE-2024-0450', 'Python zipfile does not detect overlapping entries ("quoted-overlap" zip bombs), allowing a denial of service.', 6.2,
    'CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
    { AL2023: fixed(['python3', 'python3-libs'], '0:3.9.16-1.amzn2023.0.6'), UBUNTU2204: fixed(['python3.10', 'libpython3.10-stdlib'], '3.10.12-1~22.04.4') }, { epss: 0.001 }),
  plain('CVE-2023-28320', 'A race in curl\'s alarm-based DNS resolution timeout (siglongjmp) can crash multi-threaded applications.', 5.9,
    'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:H',
    { AL2: fixed(['curl', 'libcurl'], '0:8.1.2-1.amzn2.0.1') }, { epss: 0.002 }),
  plain('CVE-2023-28321', 'curl matches IDN wildcard certificate names too leniently, accepting certificates for the wrong host.', 5.9,
    'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:N',
    { AL2: fixed(['curl', 'libcurl'], '0:8.1.2-1.amzn2.0.1') }, { epss: 0.002 }),
  plain('CVE-2023-28322', 'libcurl may send the wrong data when a handle used for an upload with a read callback is reused for a POST.', 3.7,
    'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:L/A:N',
    { AL2: fixed(['curl', 'libcurl'], '0:8.1.2-1.amzn2.0.1') }, { epss: 0.001 }),
  plain('CVE-2023-27535', 'libcurl reuses FTP connections whose settings differ (e.g. CCC or SSL level), which can leak data over the wrong channel.', 5.9,
    'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N',
    { AL2: fixed(['curl', 'libcurl'], '0:8.0.1-1.amzn2.0.1') }, { epss: 0.002 }),
  plain('CVE-2023-46218', 'curl accepts cookies for public suffixes when the domain differs only in case, letting a site set cookies for other sites.', 6.5,
    'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:N',
    { AL2023: fixed(['curl-minimal', 'libcurl-minimal'], '0:8.5.0-1.amzn2023.0.1'), AL2: fixed(['curl', 'libcurl'], '0:8.3.0-1.amzn2.0.5'), UBUNTU2204: fixed(['curl', 'libcurl4'], '7.81.0-1ubuntu1.15') }, { epss: 0.003 }),
  plain('CVE-2023-2650', 'Translating crafted ASN.1 object identifiers to text in OpenSSL can take a very long time, allowing a denial of service.', 6.5,
    'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
    { AL2023: fixed(['openssl', 'openssl-libs'], '1:3.0.8-1.amzn2023.0.5'), AL2: fixed(['openssl', 'openssl-libs'], '1:1.0.2k-24.amzn2.0.7'), UBUNTU2204: fixed(['openssl', 'libssl3'], '3.0.2-0ubuntu1.10') }, { epss: 0.003 }),
  plain('CVE-2023-3817', 'OpenSSL DH_check() is slow when the q parameter is very large, allowing a denial of service when checking untrusted keys.', 5.3,
    'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L',
    { AL2023: fixed(['openssl', 'openssl-libs'], '1:3.0.8-1.amzn2023.0.6'), AL2: fixed(['openssl', 'openssl-libs'], '1:1.0.2k-24.amzn2.0.8'), UBUNTU2204: fixed(['openssl', 'libssl3'], '3.0.2-0ubuntu1.10') }, { epss: 0.002 }),
  plain('CVE-2023-5678', 'OpenSSL DH_generate_key() and related checks are slow on excessively long X9.42 DH parameters, allowing a denial of service.', 5.3,
    'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L',
    { AL2023: fixed(['openssl', 'openssl-libs'], '1:3.0.8-1.amzn2023.0.10'), AL2: fixed(['openssl', 'openssl-libs'], '1:1.0.2k-24.amzn2.0.10'), UBUNTU2204: fixed(['openssl', 'libssl3'], '3.0.2-0ubuntu1.13') }, { epss: 0.002 }),
  plain('CVE-2024-2961', 'The glibc iconv() ISO-2022-CN-EXT converter can write up to four bytes past the output buffer, which PHP applications expose to remote attackers.', 7.3,
    'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:L',
    { AL2023: fixed(['glibc', 'glibc-common', 'glibc-minimal-langpack'], '0:2.34-52.amzn2023.0.10'), AL2: fixed(['glibc', 'glibc-common'], '0:2.26-64.amzn2.0.1'), UBUNTU2204: fixed(['libc6', 'libc-bin'], '2.35-0ubuntu3.7') },
    { epss: 0.2, exploit: true }),
];

/** Every CVE the demo fleet draws from. */
export const ALL_DEMO_CVES: readonly DemoCve[] = [...DEMO_CVES, ...TAIL_CVES];

/** The KEV-listed CVEs of the catalog, by id. */
export function kevListed(): ReadonlyMap<string, KevFacts> {
  const out = new Map<string, KevFacts>();
  for (const c of ALL_DEMO_CVES) if (c.kev !== null) out.set(c.id, c.kev);
  return out;
}
