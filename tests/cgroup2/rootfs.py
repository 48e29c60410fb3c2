#!/usr/bin/python3
"""Builds the root file system of the cgroup v2 guest (scripts/cgroup2-test) from this machine's
installed Debian packages: the files of a package closure (a shell, mount, the C, C++ and Python
toolchains the chosen tests need), the shared libraries of the test binaries, the binaries
themselves and the test data at the paths compiled into them, and the guest's init.

Usage: rootfs.py ROOT_DIR SOURCE_DIR BUILD_DIR INIT_SCRIPT [--docker]
(--docker: Docker's engine too, for the suite that runs the sandbox in a container)
Only the Python standard library, dpkg-query and ldd; prints one progress line per phase.
"""
import os
import re
import shutil
import subprocess
import sys

# What the guest runs: a shell and coreutils for its init, mount for the file systems, the
# toolchains of the sandbox tests, the hostile battery and the golden cases (C, C++, Python 3).
PACKAGES = ["bash", "dash", "coreutils", "mount", "util-linux", "grep", "sed", "gcc", "g++",
            "cpp", "gcc-12", "g++-12", "libc6-dev", "libstdc++-12-dev", "python3-minimal",
            "python3.11-minimal", "libpython3.11-stdlib"]
# The docker suite: the engine and its runtime, as Debian packages them.
DOCKER_PACKAGES = ["docker.io", "containerd", "runc", "tini"]
# Never needed in the guest, and large.
SKIPPED = re.compile(r"^/usr/share/(doc|man|locale|info|lintian|bug|bash-completion)/")
# The test binaries (under BUILD_DIR) and the judge-box they run.
BINARIES = ["sandbox/judge-box", "tests/sandbox/sandbox_test", "tests/sandbox/cgroup_layout_test",
            "tests/hostile/hostile_test", "tests/judge/judge_golden_test"]
# Test data read at run time, at the source paths compiled into the binaries; docker/ holds the
# worker container's cgroup setup, which the docker suite runs.
DATA = ["tests/hostile/programs", "tests/judge/cases", "docker"]


def installed(package, cache={}):
    if package not in cache:
        result = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package],
                                capture_output=True, text=True)
        cache[package] = result.returncode == 0 and result.stdout.endswith("ok installed")
    return cache[package]


def dependencies(package):
    """The installed packages package depends on (for alternatives, the first installed)."""
    text = subprocess.run(["dpkg-query", "-W", "-f=${Depends}, ${Pre-Depends}", package],
                          capture_output=True, text=True, check=True).stdout
    found = []
    for group in text.split(","):
        for choice in group.split("|"):
            name = re.sub(r"\(.*?\)", "", choice).strip().split(":")[0]
            if name and installed(name):
                found.append(name)
                break
    return found


def closure(roots):
    missing = [p for p in roots if not installed(p)]
    if missing:
        raise SystemExit(f"rootfs: packages not installed: {' '.join(missing)} "
                         "(scripts/install-deps installs them)")
    seen, todo = set(), list(roots)
    while todo:
        package = todo.pop()
        if package not in seen:
            seen.add(package)
            todo += dependencies(package)
    return sorted(seen)


def package_files(packages):
    files = set()
    for package in packages:
        listing = subprocess.run(["dpkg-query", "-L", package], capture_output=True, text=True,
                                 check=True).stdout
        files.update(f for f in listing.splitlines() if f.startswith("/") and not SKIPPED.match(f))
    return sorted(files)


def copy_path(path, root):
    """path (file, symlink or dir, not its contents) to the same place under root. /bin, /lib,
    /lib64 and /sbin are links into /usr in the guest, as on this machine (merged /usr)."""
    target = root + os.path.realpath(os.path.dirname(path)) + "/" + os.path.basename(path)
    if os.path.islink(path):
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if not os.path.lexists(target):
            os.symlink(os.readlink(path), target)
    elif os.path.isdir(path):
        os.makedirs(target, exist_ok=True)
    elif os.path.isfile(path):
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(path, target)


def shared_libraries(binary):
    out = subprocess.run(["ldd", binary], capture_output=True, text=True, check=True).stdout
    libs = []
    for line in out.splitlines():
        match = re.search(r"(/\S+) \(0x", line)
        if match:
            libs.append(match.group(1))
    return libs


def main():
    if len(sys.argv) not in (5, 6) or sys.argv[5:] not in ([], ["--docker"]):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    root, source, build, init = sys.argv[1:5]
    source, build = os.path.realpath(source), os.path.realpath(build)
    shutil.rmtree(root, ignore_errors=True)
    for usr_dir in ("bin", "lib", "lib64", "sbin"):
        os.makedirs(f"{root}/usr/{usr_dir}", exist_ok=True)
        os.symlink(f"usr/{usr_dir}", f"{root}/{usr_dir}")
    packages = closure(PACKAGES + (DOCKER_PACKAGES if sys.argv[5:] else []))
    files = package_files(packages)
    print(f"[rootfs] {len(packages)} packages, {len(files)} files", flush=True)
    for path in files:
        copy_path(path, root)
    binaries = [f"{build}/{b}" for b in BINARIES]
    libs = sorted({lib for b in binaries for lib in shared_libraries(b)})
    for path in binaries + libs:
        for link in (path, os.path.realpath(path)):  # The name and what it points to.
            copy_path(link, root)
    for folder in DATA:
        shutil.copytree(f"{source}/{folder}", root + f"{source}/{folder}", symlinks=True)
    print(f"[rootfs] {len(binaries)} test binaries, {len(libs)} shared libraries, test data",
          flush=True)
    for folder in ("proc", "sys", "dev", "tmp", "run", "etc", "var/tmp"):
        os.makedirs(f"{root}/{folder}", exist_ok=True)
    with open(f"{root}/etc/passwd", "w") as passwd:
        passwd.write("root:x:0:0:root:/root:/bin/sh\n")
    with open(init) as template, open(f"{root}/init-test", "w") as out:
        out.write(template.read().replace("@BUILD@", build).replace("@SOURCE@", source)
                  .replace("@SOURCE_PARENT@", source.lstrip("/")))
    os.chmod(f"{root}/init-test", 0o755)
    subprocess.run(["ldconfig", "-r", root], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
