#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The driver set as a patch series on v6.12, and its check.

  series.py generate   write build/series/: cover letter and patches, made
                       from scripts/series/series.conf and the repository
  series.py check      generate, then: git am onto pristine v6.12, checkpatch
                       --strict on each patch, get_maintainer.pl on each
                       patch, the tree after the last patch against the
                       overlay (scripts/prepare-tree.sh), the documentation
                       with Sphinx, and an arm64 build after every patch.
                       Prints PASS:/FAIL: lines, then
                       "series: N patches, N applied, N built, N checkpatch findings".

The pristine tree is made once by make-pristine.sh ($BUILD/v6.12). Work
trees are git worktrees of it ($BUILD/series-gen for making the commits,
$BUILD/series-tree for applying and building); the pristine commit is never
changed. Logs go to $BUILD/logs/series-*.log.
"""

import fnmatch
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
BUILD = os.environ.get('MINIDUMP_BUILD_DIR', os.path.join(REPO, 'build'))
LOGS = os.path.join(BUILD, 'logs')
PRISTINE = os.path.join(BUILD, 'v6.12')
GEN = os.path.join(BUILD, 'series-gen')
TREE = os.path.join(BUILD, 'series-tree')
OUT = os.path.join(BUILD, 'series-out')
SERIES = os.path.join(BUILD, 'series')
DOCS = os.path.join(BUILD, 'series-docs')
CONF = os.path.join(HERE, 'series.conf')
MESSAGES = os.path.join(HERE, 'messages')
FRAGMENT = os.path.join(REPO, 'scripts', 'config', 'qemu-qcom.config')
BISECT_FRAGMENT = os.path.join(HERE, 'bisect.config')
BASE = 'v6.12'
CROSS = 'aarch64-linux-gnu-'

# What of the repository goes into a kernel tree: the overlay's directories
# (scripts/prepare-tree.sh), Kconfig (as Kconfig.minidump), the MAINTAINERS
# entry and the changes to existing files. tools/, scripts/ and the rest are
# the project's own and no part of the series.
KERNEL_PATHS = ['drivers', 'include', 'samples', 'Documentation', 'Kconfig',
                'MAINTAINERS', 'patches']
TREE_NAME = {'Kconfig': 'drivers/soc/qcom/Kconfig.minidump'}
# What the series adds beyond the overlay: prepare-tree.sh links neither the
# driver-api page nor the MAINTAINERS entry into its tree.
SERIES_ONLY = {'MAINTAINERS', 'Documentation/driver-api/qcom-minidump.rst'}


# checkpatch runs scripts/spdxcheck.py with the python3 first in PATH: Debian's
# has its modules (python3-ply, python3-git), a python3 of pyenv or a venv not.
DEBIAN_PYTHON = {'PATH': '/usr/bin:' + os.environ.get('PATH', '')}


class Error(Exception):
    pass


def run(cmd, cwd=None, env=None, check=True, log=None, nice=False):
    if nice:
        cmd = ['nice', '-n', '10'] + cmd
    e = dict(os.environ)
    if env:
        e.update(env)
    p = subprocess.run(cmd, cwd=cwd, env=e, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, universal_newlines=True,
                       errors='replace')
    if log:
        with open(log, 'a') as f:
            f.write('$ %s\n%s' % (' '.join(cmd), p.stdout))
    if check and p.returncode != 0:
        raise Error('%s failed (exit %d):\n%s' % (' '.join(cmd), p.returncode,
                                                   p.stdout[-3000:]))
    return p


def git(cwd, *args, **kw):
    return run(['git'] + list(args), cwd=cwd, **kw).stdout


def read(path):
    with open(path, encoding='utf-8') as f:
        return f.read()


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)


# ---- the description --------------------------------------------------------

class Patch:
    def __init__(self, index, slug):
        self.index = index
        self.slug = slug
        self.files = []
        self.hunks = []
        self.kconfig = []


def read_conf():
    author = None
    patches = []
    seen = {}
    for n, raw in enumerate(read(CONF).splitlines(), 1):
        line = raw.split('#', 1)[0].strip() if not raw.startswith('#') else ''
        if not line:
            continue
        key, _, val = line.partition(' ')
        val = val.strip()
        where = '%s:%d' % (os.path.relpath(CONF, REPO), n)
        if key == 'author':
            author = val
            continue
        if key == 'patch':
            patches.append(Patch(len(patches) + 1, val))
            if not os.path.isfile(os.path.join(MESSAGES, val)):
                raise Error('%s: no message file scripts/series/messages/%s' % (where, val))
            continue
        if not patches:
            raise Error('%s: "%s" before the first "patch"' % (where, key))
        p = patches[-1]
        if key in ('file', 'hunks'):
            if not os.path.isfile(os.path.join(REPO, val)):
                raise Error('%s: %s: no such file in the repository' % (where, val))
            if val in seen:
                raise Error('%s: %s is in patch "%s" already' % (where, val, seen[val]))
            seen[val] = p.slug
            (p.files if key == 'file' else p.hunks).append(val)
        elif key == 'kconfig':
            p.kconfig.append(val)
        else:
            raise Error('%s: unknown keyword "%s"' % (where, key))
    if not author:
        raise Error('%s: no "author" line' % CONF)
    return author, patches


def project_files():
    out = git(REPO, 'ls-files', '--cached', '--others', '--exclude-standard', '--',
              *KERNEL_PATHS).split()
    files = []
    for f in out:
        if not os.path.isfile(os.path.join(REPO, f)):
            continue          # deleted but not yet staged
        if f.startswith('patches/') and not f.endswith('.patch'):
            continue
        files.append(f)
    return sorted(set(files))


# ---- unified diffs ----------------------------------------------------------

def parse_patch(path):
    """[(tree path, [hunk])] of a patches/*.patch; hunk: (old_start, [(tag, text)])."""
    files = []
    lines = read(path).split('\n')
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith('--- ') and i + 1 < len(lines) and lines[i + 1].startswith('+++ '):
            name = lines[i + 1][4:].split('\t')[0].strip()
            if not name.startswith('b/'):
                raise Error('%s: cannot read "%s"' % (path, lines[i + 1]))
            files.append((name[2:], []))
            i += 2
            continue
        m = re.match(r'^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@', line)
        if m:
            if not files:
                raise Error('%s: hunk before a file header' % path)
            old_n = int(m.group(2) or 1)
            new_n = int(m.group(4) or 1)
            body = []
            i += 1
            while old_n > 0 or new_n > 0:
                if i >= len(lines):
                    raise Error('%s: hunk cut short' % path)
                t = lines[i]
                tag, text = (t[0], t[1:]) if t else (' ', '')
                if tag == '\\':
                    i += 1
                    continue
                if tag not in ' +-':
                    raise Error('%s: bad hunk line "%s"' % (path, t))
                body.append((tag, text))
                if tag in ' -':
                    old_n -= 1
                if tag in ' +':
                    new_n -= 1
                i += 1
            files[-1][1].append((int(m.group(1)), body))
            continue
        i += 1
    if not files:
        raise Error('%s: no changes in it' % path)
    return files


def apply_hunk(lines, old_start, body, where):
    old = [t for tag, t in body if tag in ' -']
    new = [t for tag, t in body if tag in ' +']
    want = max(old_start - 1, 0)
    # Exact context only, nearest to where the hunk says it goes.
    for delta in range(0, len(lines) + 1):
        for pos in ((want + delta, want - delta) if delta else (want,)):
            if 0 <= pos <= len(lines) - len(old) and lines[pos:pos + len(old)] == old:
                return lines[:pos] + new + lines[pos + len(old):]
    raise Error('%s: a hunk at line %d does not apply' % (where, old_start))


# ---- the series' model ------------------------------------------------------

# The overlay keeps the driver set's Kconfig entries in one file of their
# own, Kconfig.minidump, sourced from drivers/soc/qcom/Kconfig. The series
# puts each entry straight into drivers/soc/qcom/Kconfig, where the source
# line is, with the patch that adds its code: the same menu, in the same
# order, and a tree that names no file of the overlay.
SOURCE_LINE = 'source "%s"' % TREE_NAME['Kconfig']


def inline_kconfig(lines, entries):
    out = []
    for line in lines:
        out += entries if line.strip() == SOURCE_LINE else [line]
    return out


def kconfig_file_entries(text):
    """The entries of a Kconfig.minidump: all from the first "config" on."""
    lines = text.rstrip('\n').split('\n')
    for i, line in enumerate(lines):
        if re.match(r'^(?:menu)?config\s', line):
            lines = lines[i:]
            break
    else:
        lines = []
    while lines and not lines[-1].strip():
        lines.pop()
    return lines

class Model:
    """Which patch brings what, and the tree's changed files after patch k."""

    def __init__(self):
        self.author, self.patches = read_conf()
        self.n = len(self.patches)
        self.owner = {}       # repository file -> patch index
        for p in self.patches:
            for f in p.files + p.hunks:
                self.owner[f] = p.index
        files = project_files()
        missing = [f for f in files if f not in self.owner]
        if missing:
            raise Error('in no patch of scripts/series/series.conf (add a "file" or '
                        '"hunks" line): ' + ', '.join(missing))
        if 'Kconfig' not in self.owner or 'MAINTAINERS' not in self.owner:
            raise Error('series.conf: Kconfig and MAINTAINERS must each be in a patch')
        self.tree_owner = {TREE_NAME.get(f, f): i for f, i in self.owner.items()
                           if not f.startswith('patches/')}
        self.diffs = [(f, parse_patch(os.path.join(REPO, f)))
                      for f in sorted(x for x in self.owner if x.startswith('patches/'))]
        self._symbols()

    def _obj_owner(self, makefile, obj):
        d = os.path.dirname(makefile)
        if obj.endswith('/'):
            prefix = os.path.join(d, obj)
            owners = [i for f, i in self.tree_owner.items() if f.startswith(prefix)]
            return max(owners) if owners else None
        base = os.path.join(d, obj[:-2])
        for ext in ('.c', '.S'):
            if base + ext in self.tree_owner:
                return self.tree_owner[base + ext]
        return None

    def _symbols(self):
        """Kconfig symbol -> patch: explicit, else where its objects are."""
        self.sym_owner = {}
        for p in self.patches:
            for s in p.kconfig:
                self.sym_owner[s] = p.index
        for _, diffs in self.diffs:
            for path, hunks in diffs:
                if os.path.basename(path) != 'Makefile':
                    continue
                for _, body in hunks:
                    for tag, text in body:
                        m = re.match(r'obj-\$\(CONFIG_(\w+)\)\s*\+=\s*(.*)', text)
                        if tag != '+' or not m or m.group(1) in self.sym_owner:
                            continue
                        owners = [self._obj_owner(path, o) for o in m.group(2).split()]
                        if owners and None not in owners:
                            self.sym_owner[m.group(1)] = max(owners)
        self.kconfig_blocks = self._kconfig_blocks()
        core = self.owner['Kconfig']
        for sym, _ in self.kconfig_blocks[1:]:
            if sym not in self.sym_owner:
                raise Error('Kconfig: config %s is in no patch: no obj-$(CONFIG_%s) line '
                            'names a file of the series; add "kconfig %s" to its patch '
                            'in series.conf' % (sym, sym, sym))
            if self.sym_owner[sym] < core:
                raise Error('Kconfig: config %s comes before the patch that adds '
                            'Kconfig.minidump' % sym)

    def _kconfig_blocks(self):
        """[(None, header lines), (SYM, lines)...] of the repository's Kconfig."""
        blocks = [(None, [])]
        for line in read(os.path.join(REPO, 'Kconfig')).rstrip('\n').split('\n'):
            m = re.match(r'^(?:menu)?config\s+(\w+)', line)
            if m:
                blocks.append((m.group(1), []))
            blocks[-1][1].append(line)
        return blocks

    def line_owner(self, patchfile, path, tag, text):
        if tag == '+' and os.path.basename(path) == 'Makefile':
            m = re.match(r'obj-\$\(CONFIG_(\w+)\)', text)
            if m and m.group(1) in self.sym_owner:
                return self.sym_owner[m.group(1)]
        return self.owner[patchfile]

    # -- contents after patch k --

    def kconfig_entries(self, k):
        """The Kconfig entries of the patches up to k, in the file's order."""
        out = []
        for sym, lines in self.kconfig_blocks[1:]:
            if self.sym_owner[sym] <= k:
                out += lines
        while out and not out[-1].strip():
            out.pop()
        return out

    def kunitconfig(self, f, k):
        out = []
        for line in read(os.path.join(REPO, f)).splitlines():
            m = re.match(r'^CONFIG_(\w+)=', line)
            if m and self.sym_owner.get(m.group(1), 0) > k:
                continue
            out.append(line)
        return '\n'.join(out) + '\n'

    def maintainers(self, pristine_text, final_files):
        """The kernel's MAINTAINERS with the set's entry in its sorted place.
        F: lines that match nothing in the final tree (tools/) are left out."""
        entry = read(os.path.join(REPO, 'MAINTAINERS')).rstrip('\n').split('\n')
        kept = [entry[0]]
        self.maintainers_dropped = []
        for line in entry[1:]:
            if line.startswith('F:\t'):
                pat = line[3:].strip()
                if pat.endswith('/'):
                    hit = any(f.startswith(pat) for f in final_files)
                else:
                    hit = any(fnmatch.fnmatch(f, pat) for f in final_files)
                if not hit:
                    self.maintainers_dropped.append(pat)
                    continue
            kept.append(line)
        self.entry = kept
        # Every file the series adds is the entry's, by an F: pattern: so the
        # last patch answers checkpatch's "does MAINTAINERS need updating?".
        pats = [line[3:].strip() for line in kept if line.startswith('F:\t')]
        orphans = [f for f in sorted(self.new_files)
                   if not any(f.startswith(p) if p.endswith('/') else fnmatch.fnmatch(f, p)
                              for p in pats)]
        if orphans:
            raise Error('MAINTAINERS: no F: pattern covers ' + ', '.join(orphans))
        title = entry[0]
        lines = pristine_text.split('\n')
        # Sections: a title line after a blank line, followed by "X:\t" lines.
        start = None
        for i in range(1, len(lines) - 1):
            if lines[i - 1] == '' and lines[i] and re.match(r'^[A-Z]:\t', lines[i + 1]):
                if start is None:
                    start = i
                if lines[i].upper() > title.upper():
                    return '\n'.join(lines[:i] + kept + [''] + lines[i:])
        raise Error('MAINTAINERS: found no place for "%s"' % title)

    def state(self, k, pristine):
        """{tree path: text} of every file the series changes, after patch k."""
        out = {}
        for f, i in self.owner.items():
            if f.startswith('patches/') or i > k:
                continue
            if f == 'Kconfig':
                continue      # inlined where drivers/soc/qcom/Kconfig sources it
            elif os.path.basename(f) == '.kunitconfig':
                out[f] = self.kunitconfig(f, k)
            elif f == 'MAINTAINERS':
                out[f] = self.maintainers(pristine(f), self.final_files)
            else:
                out[f] = read(os.path.join(REPO, f))
        patched = {}
        for pf, diffs in self.diffs:
            for path, hunks in diffs:
                if path not in patched:
                    patched[path] = pristine(path).split('\n')
                for old_start, body in hunks:
                    fb = []
                    for tag, text in body:
                        if tag == ' ':
                            fb.append((tag, text))
                        elif self.line_owner(pf, path, tag, text) <= k:
                            fb.append((tag, text))
                        elif tag == '-':
                            fb.append((' ', text))
                    if any(tag != ' ' for tag, _ in fb):
                        patched[path] = apply_hunk(patched[path], old_start, fb,
                                                   '%s (%s)' % (pf, path))
        for path, lines in patched.items():
            out[path] = '\n'.join(inline_kconfig(lines, self.kconfig_entries(k)))
        return out


# ---- generate ---------------------------------------------------------------

def ensure_pristine():
    run([os.path.join(HERE, 'make-pristine.sh'), PRISTINE])


def worktree(path):
    """A detached worktree of the pristine repository at v6.12, clean."""
    if not os.path.isdir(os.path.join(path, '.git')) and not os.path.isfile(os.path.join(path, '.git')):
        shutil.rmtree(path, ignore_errors=True)
        git(PRISTINE, 'worktree', 'prune')
        git(PRISTINE, 'worktree', 'add', '-q', '--detach', path, BASE)
    subprocess.run(['git', 'am', '--abort'], cwd=path, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    git(path, 'checkout', '-q', '-f', '--detach', BASE)
    git(path, 'reset', '-q', '--hard', BASE)
    git(path, 'clean', '-q', '-fdx')


def message(slug):
    text = read(os.path.join(MESSAGES, slug)).rstrip('\n')
    subject, _, body = text.partition('\n')
    return subject.strip(), body.strip('\n')


def identity(placeholder):
    """Who the patches are from and signed off by: the git identity of whoever
    generates the series (git config user.name, user.email), else the
    placeholder of series.conf. [name <email>, where it came from]"""
    name = run(['git', 'config', 'user.name'], cwd=REPO, check=False).stdout.strip()
    email = run(['git', 'config', 'user.email'], cwd=REPO, check=False).stdout.strip()
    if name and email:
        return '%s <%s>' % (name, email), 'git config user.name/user.email'
    return placeholder, 'the placeholder of series.conf: no git identity is set'


TAG = re.compile(r'^[A-Z][A-Za-z-]*: \S')


def commit_message(subject, body, signer):
    """Subject, body and Signed-off-by; a body that ends in tags (Fixes:,
    Cc:, ...) gets the Signed-off-by in the same block."""
    last = body.split('\n\n')[-1].split('\n')
    sep = '\n' if body and all(TAG.match(line) for line in last) else '\n\n'
    return '%s\n\n%s%sSigned-off-by: %s\n' % (subject, body, sep, signer)


def add_cc(path, addresses):
    """A Cc: header for ADDRESSES in the mail header of a format-patch file."""
    text = read(path)
    head, sep, rest = text.partition('\n\n')
    write(path, '%s\nCc: %s%s%s' % (head, ',\n    '.join(addresses), sep, rest))


def maintainers_of(patch, cwd):
    """get_maintainer.pl's addresses for a patch, in its order, but those of
    the reserved .invalid domain (a placeholder's), which take no mail."""
    out = run(['perl', 'scripts/get_maintainer.pl', '--no-git', '--no-git-fallback',
               '--no-rolestats', patch], cwd=cwd, check=False).stdout
    return [line.strip() for line in out.split('\n')
            if '@' in line and not re.search(r'\.invalid>?$', line.strip())]


def generate(verbose=True):
    t0 = time.time()
    ensure_pristine()
    model = Model()
    worktree(GEN)
    pristine_cache = {}

    def pristine(path):
        if path not in pristine_cache:
            p = os.path.join(GEN, path)
            # Files the series adds do not exist in v6.12.
            pristine_cache[path] = git(GEN, 'show', '%s:%s' % (BASE, path)) \
                if git(GEN, 'ls-tree', '--name-only', BASE, '--', path).strip() else ''
            del p
        return pristine_cache[path]

    base_files = git(GEN, 'ls-tree', '-r', '--name-only', BASE).split('\n')
    final_new = [f for f in model.owner
                 if not f.startswith('patches/') and f not in ('MAINTAINERS', 'Kconfig')]
    model.final_files = set(base_files) | set(final_new)
    model.new_files = set(final_new) - set(base_files)

    env = {}
    author, source = identity(model.author)
    for i, p in enumerate(model.patches, 1):
        for path, text in model.state(p.index, pristine).items():
            write(os.path.join(GEN, path), text)
        # -f: Debian's top-level .gitignore ignores every new file ("/*").
        git(GEN, 'add', '-f', '-A')
        if not git(GEN, 'status', '--porcelain').strip():
            raise Error('patch %d (%s) changes nothing' % (i, p.slug))
        subject, body = message(p.slug)
        name, _, email = author.partition(' <')
        date = '2024-11-18T09:%02d:00+0000' % i
        env = {'GIT_AUTHOR_NAME': name, 'GIT_AUTHOR_EMAIL': email.rstrip('>'),
               'GIT_COMMITTER_NAME': name, 'GIT_COMMITTER_EMAIL': email.rstrip('>'),
               'GIT_AUTHOR_DATE': date, 'GIT_COMMITTER_DATE': date}
        msg = commit_message(subject, body, author)
        run(['git', '-c', 'commit.gpgsign=false', 'commit', '-q', '--no-verify',
             '-m', msg], cwd=GEN, env=env)

    # Everything the repository holds for the tree must be there now: the
    # same files, with the same contents, as the model's final state.
    final = model.state(model.n, pristine)
    for path, text in final.items():
        if read(os.path.join(GEN, path)) != text:
            raise Error('%s: after the last patch differs from the repository' % path)

    os.makedirs(SERIES, exist_ok=True)
    for f in os.listdir(SERIES):
        if f.endswith('.patch'):
            os.remove(os.path.join(SERIES, f))
    run(['git', 'format-patch', '-q', '--cover-letter', '--base=' + BASE,
         '--no-signature', '--zero-commit', '-o', SERIES, BASE + '..HEAD'],
        cwd=GEN, env=env)
    cover_subject, cover_body = message('cover-letter')
    cover = [f for f in os.listdir(SERIES) if f.startswith('0000-')][0]
    text = read(os.path.join(SERIES, cover))
    text = text.replace('*** SUBJECT HERE ***', cover_subject)
    text = text.replace('*** BLURB HERE ***', cover_body)
    write(os.path.join(SERIES, cover), text)
    # The Cc list: get_maintainer.pl on each patch, in the tree after the
    # last one (with the set's MAINTAINERS entry); the cover letter goes to
    # every address that any patch goes to.
    everyone = []
    for f in series_patches():
        cc = maintainers_of(f, GEN)
        add_cc(f, cc)
        everyone += [a for a in cc if a not in everyone]
    add_cc(os.path.join(SERIES, cover), everyone)
    if verbose:
        print('series: author and Signed-off-by: %s (%s)' % (author, source))
        print('series: Cc from get_maintainer.pl: %d addresses on the cover letter' %
              len(everyone))
        for pat in model.maintainers_dropped:
            print('series: MAINTAINERS: F: %s left out: nothing of the series is there' % pat)
        print('series: %d patches in %s (%.0f s)' % (model.n, os.path.relpath(SERIES, REPO),
                                                    time.time() - t0))
    return model


def series_patches():
    return sorted(os.path.join(SERIES, f) for f in os.listdir(SERIES)
                  if f.endswith('.patch') and not f.startswith('0000-'))


# ---- check ------------------------------------------------------------------

class Results:
    def __init__(self):
        self.failed = 0

    def ok(self, msg):
        print('PASS: ' + msg, flush=True)

    def bad(self, msg, detail=''):
        self.failed += 1
        print('FAIL: ' + msg, flush=True)
        for line in detail.rstrip('\n').split('\n')[:40]:
            if line:
                print('    ' + line)


def check_am(res, patches):
    worktree(TREE)
    p = run(['git', '-c', 'commit.gpgsign=false', 'am', '-q', '--no-3way'] + patches,
            cwd=TREE, check=False, log=os.path.join(LOGS, 'series-am.log'),
            env={'GIT_COMMITTER_NAME': 'series check', 'GIT_COMMITTER_EMAIL': 'check@invalid'})
    applied = int(git(TREE, 'rev-list', '--count', BASE + '..HEAD').strip())
    if p.returncode != 0 or applied != len(patches):
        res.bad('series: git am onto pristine %s: %d of %d applied' % (BASE, applied, len(patches)),
                p.stdout)
        subprocess.run(['git', 'am', '--abort'], cwd=TREE, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    else:
        res.ok('series: git am onto pristine %s: %d patches applied' % (BASE, applied))
    return applied


def check_checkpatch(res, patches):
    findings = 0
    detail = ''
    log = os.path.join(LOGS, 'series-checkpatch.log')
    open(log, 'w').close()
    # FILE_PATH_CHANGES ("added, moved or deleted file(s), does MAINTAINERS
    # need updating?") is raised by every patch that adds a file: the entry
    # comes in the last patch, as the issue orders, and the generator checks
    # that its F: patterns cover every file the series adds.
    # UNKNOWN_COMMIT_ID ("Unknown commit id, maybe rebased or not pulled?")
    # is raised by every Fixes: tag: the pristine tree is one commit, with
    # no history to look the id up in. checkpatch still checks the tag's
    # form (GIT_COMMIT_ID: 12 digits and the quoted subject).
    for p in patches:
        out = run(['perl', 'scripts/checkpatch.pl', '--strict', '--terse', '--no-summary',
                   '--show-types', '--ignore', 'FILE_PATH_CHANGES,UNKNOWN_COMMIT_ID', p],
                  cwd=TREE, check=False, log=log, env=DEBIAN_PYTHON).stdout
        lines = [line for line in out.split('\n') if line.strip()]
        findings += len(lines)
        detail += ''.join('%s: %s\n' % (os.path.basename(p), line) for line in lines)
    if findings:
        res.bad('series: checkpatch.pl --strict: %d findings in %d patches' %
                (findings, len(patches)), detail)
    else:
        res.ok('series: checkpatch.pl --strict: no findings in %d patches (FILE_PATH_CHANGES '
               'off: MAINTAINERS is the last patch, its F: lines cover every added file)' %
               len(patches))
    return findings


def check_maintainers(res, patches):
    title = read(os.path.join(REPO, 'MAINTAINERS')).split('\n', 1)[0].strip()
    missed = []
    log = os.path.join(LOGS, 'series-get-maintainer.log')
    open(log, 'w').close()
    for p in patches:
        out = run(['perl', 'scripts/get_maintainer.pl', '--no-git', '--no-git-fallback', p],
                  cwd=TREE, check=False, log=log).stdout
        if ':' + title not in out:
            missed.append(os.path.basename(p))
    named = len(patches) - len(missed)
    if missed:
        res.bad('series: get_maintainer.pl names %s for %d of %d patches' %
                (title, named, len(patches)), 'not for: ' + ', '.join(missed))
    else:
        res.ok('series: get_maintainer.pl names %s for all %d patches' % (title, named))


def check_drift(res):
    """The tree after the last patch holds what the overlay build uses."""
    p = subprocess.run([os.path.join(REPO, 'scripts', 'prepare-tree.sh')], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True)
    if p.returncode != 0:
        res.bad('series: no drift: scripts/prepare-tree.sh failed', p.stderr)
        return
    overlay = p.stdout.strip().split('\n')[-1]
    # What the overlay adds or changes: links into the repository, copies,
    # and the files patches/ changes.
    changed = set()
    for root, dirs, files in os.walk(overlay):
        dirs[:] = [d for d in dirs if not d.startswith('.')] if root == overlay else dirs
        for name in files + dirs:
            full = os.path.join(root, name)
            real = os.path.realpath(full)
            if os.path.islink(full) and real.startswith(REPO + '/') and \
                    not real.startswith(os.path.realpath(BUILD) + '/'):
                changed.add(os.path.relpath(full, overlay))
    copies = os.path.join(overlay, '.minidump-copies')
    if os.path.exists(copies):
        changed |= {line for line in read(copies).split('\n') if line}
    for f in os.listdir(os.path.join(REPO, 'patches')):
        if f.endswith('.patch'):
            changed |= {path for path, _ in parse_patch(os.path.join(REPO, 'patches', f))}
    series = set(git(TREE, 'diff', '--name-only', BASE, 'HEAD').split())
    problems = []
    kconfig = TREE_NAME['Kconfig']
    entries = kconfig_file_entries(read(os.path.join(overlay, kconfig))) \
        if os.path.exists(os.path.join(overlay, kconfig)) else []
    for f in sorted(changed):
        a, b = os.path.join(overlay, f), os.path.join(TREE, f)
        if f == kconfig:
            if os.path.exists(b):
                problems.append('%s: the series should inline it' % f)
            continue
        if os.path.isdir(a):
            problems.append('%s: a directory link in the overlay' % f)
        elif not os.path.exists(b):
            problems.append('%s: in the overlay, not in the series' % f)
        else:
            want = read(a)
            if SOURCE_LINE in want:
                # The overlay's entries where the overlay sources them.
                want = '\n'.join(inline_kconfig(want.split('\n'), entries))
            if want != read(b):
                problems.append('%s: differs between the overlay and the series' % f)
    for f in sorted(series - changed - SERIES_ONLY):
        problems.append('%s: changed by the series, not by the overlay' % f)
    if problems:
        res.bad('series: no drift: the last patch\'s tree against the overlay (%s)' %
                os.path.relpath(overlay, REPO), '\n'.join(problems))
    else:
        res.ok('series: no drift: the last patch\'s tree holds the overlay\'s %d files '
               '(%s inlined), and %d more (%s)' % (len(changed), kconfig,
                                                  len(series - changed),
                                                  ', '.join(sorted(series - changed))))


def exported_functions():
    """Functions our C files (and our patches' added lines) export, except
    the KUnit-only ones: [(symbol, file)]."""
    out = []
    exp = re.compile(r'EXPORT_SYMBOL(?:_GPL|_NS|_NS_GPL)?\((\w+)')
    for f in project_files():
        if f.endswith('.c'):
            text = read(os.path.join(REPO, f))
            for sym in exp.findall(text):
                if re.search(r'^\S.*\b%s\(' % sym, text, re.M):
                    out.append((sym, f))
        elif f.startswith('patches/'):
            for path, hunks in parse_patch(os.path.join(REPO, f)):
                added = '\n'.join(t for _, body in hunks for tag, t in body if tag == '+')
                for sym in exp.findall(added):
                    if re.search(r'^\S.*\b%s\(' % sym, added, re.M):
                        out.append((sym, path))
    return out


def check_docs(res):
    """Our page with the kernel's Sphinx configuration and extensions, in a
    small source directory: the top, driver-api/index.rst and our page."""
    t0 = time.time()
    src = os.path.join(DOCS, 'src')
    html = os.path.join(DOCS, 'html')
    shutil.rmtree(src, ignore_errors=True)
    os.makedirs(os.path.join(src, 'driver-api'))
    write(os.path.join(src, 'index.rst'),
          'Linux kernel documentation (the Qualcomm minidump part)\n'
          '=========================================================\n\n'
          '.. toctree::\n\n   driver-api/index\n')
    for f in ('driver-api/index.rst', 'driver-api/qcom-minidump.rst'):
        shutil.copy(os.path.join(TREE, 'Documentation', f), os.path.join(src, f))
    log = os.path.join(LOGS, 'series-docs.log')
    open(log, 'w').close()
    p = run(['sphinx-build', '-b', 'html', '-j', str(os.cpu_count() or 1),
             '-c', os.path.join(TREE, 'Documentation'),
             '-d', os.path.join(DOCS, 'doctrees'),
             '-D', 'kerneldoc_srctree=' + TREE,
             '-D', 'kerneldoc_bin=' + os.path.join(TREE, 'scripts', 'kernel-doc'),
             src, html], cwd=TREE, check=False, log=log, nice=True,
            env={'srctree': TREE, 'SPHINXDIRS': '.'})
    ours = [line for line in p.stdout.split('\n')
            if re.search(r'warning|error', line, re.I)
            and re.search(r'qcom[-_,]\w*minidump|minidump', line)]
    if p.returncode != 0 or ours:
        res.bad('series: docs: Sphinx warns on Documentation/driver-api/qcom-minidump.rst '
                'or the kernel-doc it includes (see %s)' % os.path.relpath(log, REPO),
                '\n'.join(ours) or p.stdout[-2000:])
    else:
        res.ok('series: docs: Sphinx renders Documentation/driver-api/qcom-minidump.rst '
               'with no warning on it or its kernel-doc (%.0f s)' % (time.time() - t0))
    page_file = os.path.join(html, 'driver-api', 'qcom-minidump.html')
    page = read(page_file) if os.path.exists(page_file) else ''
    funcs = exported_functions()
    missing = ['%s (%s)' % (s, f) for s, f in funcs if 'id="c.%s"' % s not in page]
    if missing or not funcs:
        res.bad('series: docs: exported functions whose kernel-doc the page lacks',
                '\n'.join(missing) or 'no exported function found')
    else:
        res.ok('series: docs: the page has the kernel-doc of all %d exported functions' %
               len(funcs))
    # The binding: no Sphinx page in 6.12; the page must name it, and it exists.
    rst = read(os.path.join(TREE, 'Documentation', 'driver-api', 'qcom-minidump.rst'))
    bindings = [f for f in git(TREE, 'diff', '--name-only', BASE, 'HEAD').split()
                if f.startswith('Documentation/devicetree/bindings/')]
    unnamed = [b for b in bindings if b not in rst]
    if unnamed:
        res.bad('series: docs: the driver-api page does not name the binding', '\n'.join(unnamed))
    else:
        res.ok('series: docs: the driver-api page names the binding%s (%s)' %
               ('s' if len(bindings) > 1 else '', ', '.join(bindings)))


def build_key(tree_hash):
    h = hashlib.sha1()
    h.update(tree_hash.encode())
    for f in (FRAGMENT, BISECT_FRAGMENT):
        h.update(open(f, 'rb').read())
    h.update(run([CROSS + 'gcc', '--version']).stdout.encode())
    return h.hexdigest()


def check_build(res, applied):
    """Build the tree at v6.12 and after every patch: the demo's arm64
    configuration, incrementally in one output directory."""
    os.makedirs(OUT, exist_ok=True)
    cache_file = os.path.join(OUT, '.series-built')
    cache = set(read(cache_file).split()) if os.path.exists(cache_file) else set()
    commits = [BASE] + git(TREE, 'rev-list', '--reverse', BASE + '..HEAD').split()
    touched = set(git(TREE, 'diff', '--name-only', BASE, 'HEAD').split())
    jobs = str(os.cpu_count() or 1)
    built = cached = 0
    log = os.path.join(LOGS, 'series-build.log')
    open(log, 'w').close()
    kmake = ['make', '-C', TREE, 'O=' + OUT, 'ARCH=arm64', 'CROSS_COMPILE=' + CROSS]
    t0 = time.time()
    prev = None     # the commit built last in this run, whose .config OUT holds
    for i, c in enumerate(commits):
        label = 'v6.12' if i == 0 else 'patch %d' % i
        key = build_key(git(TREE, 'rev-parse', c + '^{tree}').strip())
        if key in cache:
            cached += 1
            if i:
                built += 1
            continue
        t = time.time()
        git(TREE, 'checkout', '-q', '--detach', c)
        # Configure again only when a Kconfig file changed since the last
        # build of this run: a patch without one leaves .config as it is.
        kconfig_changed = prev is None or any(
            os.path.basename(f).startswith('Kconfig')
            for f in git(TREE, 'diff', '--name-only', prev, c).split())
        try:
            if kconfig_changed:
                run(kmake + ['allnoconfig'], log=log, nice=True)
                run(['scripts/kconfig/merge_config.sh', '-m', '-O', OUT,
                     os.path.join(OUT, '.config'), FRAGMENT, BISECT_FRAGMENT],
                    cwd=TREE, env={'ARCH': 'arm64'}, log=log)
                run(kmake + ['olddefconfig'], log=log, nice=True)
            p = run(kmake + ['-j' + jobs, 'Image', 'modules'], check=False, nice=True)
        except Error as e:
            res.bad('series: build after %s: configuration failed' % label, str(e))
            break
        with open(log, 'a') as f:
            f.write('==== %s %s (%.0f s)\n%s' % (label, c, time.time() - t, p.stdout))
        warns = []
        for m in re.finditer(r'^(\S+?):\d+(?::\d+)?: (?:warning|error): .*$', p.stdout, re.M):
            path = os.path.normpath(m.group(1).replace(TREE + '/', '')).lstrip('./')
            if path in touched or 'minidump' in path:
                warns.append(m.group(0))
        if p.returncode != 0 or warns:
            res.bad('series: build after %s (%s) failed' % (label, git(TREE, 'log', '-1', '--format=%s', c).strip()),
                    '\n'.join(warns) or '\n'.join(
                        [line for line in p.stdout.split('\n') if re.search(r'\berror\b|Error ', line)]
                        or p.stdout.split('\n')[-20:]))
            break
        if i == len(commits) - 1:
            # The last state: every option of the fragment is set as asked
            # (what bisect.config overrides aside).
            config = read(os.path.join(OUT, '.config')).split('\n')
            overridden = re.findall(r'CONFIG_\w+', read(BISECT_FRAGMENT))
            unset = [line for line in read(FRAGMENT).split('\n')
                     if line.startswith('CONFIG_') and line not in config
                     and line.split('=')[0] not in overridden]
            if unset:
                res.bad('series: build: the last patch\'s config lacks ' + ' '.join(unset))
                break
        print('series: built %s in %.0f s' % (label, time.time() - t), flush=True)
        prev = c
        cache.add(key)
        with open(cache_file, 'w') as f:
            f.write('\n'.join(sorted(cache)) + '\n')
        if i:
            built += 1
    else:
        res.ok('series: arm64 build (demo config) at v6.12 and after each of %d patches, '
               'no warning in a file the series touches (%d built now in %.0f s, %d from '
               'earlier runs with the same tree)' %
               (applied, len(commits) - cached, time.time() - t0, cached))
    git(TREE, 'checkout', '-q', '--detach', commits[-1])
    return built


def check(args):
    os.makedirs(LOGS, exist_ok=True)
    res = Results()
    n = applied = built = 0
    findings = 0
    try:
        model = generate()
        n = model.n
        res.ok('series: %d patches generated from scripts/series/series.conf; every project '
               'kernel file and patches/*.patch in one' % n)
    except Error as e:
        res.bad('series: generation', str(e))
        model = None
    if model:
        patches = series_patches()
        applied = check_am(res, patches)
        if applied == len(patches):
            findings = check_checkpatch(res, patches)
            check_maintainers(res, patches)
            check_drift(res)
            check_docs(res)
            if not args.no_build:
                built = check_build(res, applied)
    print('series: %d patches, %d applied, %d built, %d checkpatch findings' %
          (n, applied, built, findings))
    return 1 if res.failed else 0


def main():
    import argparse
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('command', choices=['generate', 'check'])
    ap.add_argument('--no-build', action='store_true', help='check: skip the bisect build')
    args = ap.parse_args()
    try:
        if args.command == 'generate':
            generate()
            return 0
        return check(args)
    except Error as e:
        print('series: ' + str(e), file=sys.stderr)
        return 1


if __name__ == '__main__':
    sys.exit(main())
