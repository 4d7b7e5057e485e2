#!/usr/bin/env python3
"""`cmake --install` of a build tree, into a scratch DESTDIR: msnpdump in bin, the man page in
share/man/man1, every docs/*.md and the README in share/doc/msnp, and the Wireshark plugin
(when the build has one) where its MSNP_PLUGIN_INSTALL mode says: user (HOME's
.local/lib/wireshark/plugins/X.Y/epan), system (Wireshark's global folder) or prefix
(PREFIX/lib/.../wireshark/plugins/X.Y/epan). The installed msnpdump and man page must work.

Usage: install_check.py CMAKE BUILD_DIR SOURCE_DIR WORKDIR
"""
import fnmatch
import glob
import os
import re
import shutil
import subprocess
import sys

PREFIX = "/opt/msnp"

problems = []


def expect(what, cond, detail=""):
    if not cond:
        problems.append(f"{what}: {detail}")
    return cond


def cache_value(build, name):
    with open(os.path.join(build, "CMakeCache.txt")) as fp:
        for line in fp:
            m = re.match(re.escape(name) + r":\w+=(.*)$", line.rstrip("\n"))
            if m:
                return m.group(1)
    return None


def main():
    cmake, build, source, work = sys.argv[1:5]
    shutil.rmtree(work, ignore_errors=True)
    dest, home = os.path.join(work, "dest"), os.path.join(work, "home")
    os.makedirs(home)
    env = dict(os.environ, DESTDIR=dest, HOME=home)
    r = subprocess.run([cmake, "--install", build, "--prefix", PREFIX], env=env,
                       capture_output=True, text=True)
    if not expect("cmake --install", r.returncode == 0, r.stderr[-2000:]):
        return report()
    root = dest + PREFIX

    exe = os.path.join(root, "bin", "msnpdump")
    expect("bin/msnpdump", os.access(exe, os.X_OK), "missing or not executable")
    if os.access(exe, os.X_OK):
        r = subprocess.run([exe, "--version"], capture_output=True, text=True)
        expect("installed msnpdump --version", r.returncode == 0 and "msnpdump" in r.stdout,
               r.stderr)

    pages = glob.glob(os.path.join(root, "share", "man", "man1", "msnpdump.1*"))
    expect("share/man/man1/msnpdump.1", len(pages) == 1, pages)
    if pages and shutil.which("man"):
        r = subprocess.run(["man", "-l", pages[0]], capture_output=True, text=True,
                           env=dict(os.environ, MANWIDTH="80"))
        expect("man -l on the installed page", r.returncode == 0 and "msnpdump" in r.stdout,
               r.stderr)

    docdir = os.path.join(root, "share", "doc", "msnp")
    wanted = ["README.md"] + sorted(os.path.basename(p)
                                    for p in glob.glob(os.path.join(source, "docs", "*.md")))
    for doc in wanted:
        expect(f"share/doc/msnp/{doc}", os.path.isfile(os.path.join(docdir, doc)), "missing")

    built = glob.glob(os.path.join(build, "plugins", "*", "epan", "msnp.so"))
    installed = [os.path.join(d, "msnp.so") for d, _, files in os.walk(dest) if "msnp.so" in files]
    if not built:
        expect("no plugin built, none installed", not installed, installed)
        print("no Wireshark plugin in this build: plugin not checked")
        return report()
    abi = built[0].split(os.sep)[-3]
    mode = cache_value(build, "MSNP_PLUGIN_INSTALL") or "user"
    tail = os.path.join("wireshark", "plugins", abi, "epan", "msnp.so")
    where = {
        "user": os.path.join(dest + home, ".local", "lib", tail),
        "prefix": os.path.join(root, "lib", "*", tail),
        "system": os.path.join(dest, "usr", "lib", "*", tail),
    }.get(mode)
    expect("MSNP_PLUGIN_INSTALL", where is not None, mode)
    if where:
        found = [p for p in installed if fnmatch.fnmatch(p, where)]
        expect(f"plugin installed ({mode} mode)", len(found) == 1 and installed == found,
               f"expected {where}, installed {installed}")
    return report()


def report():
    for p in problems:
        print("FAIL", p)
    print(f"{'FAILED' if problems else 'ok'}: {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
