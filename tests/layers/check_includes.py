#!/usr/bin/python3
"""The layers of the house, checked: every #include of a project header from another folder must
follow an allowed arrow (README, Architecture). A wrong include fails with the file, the line and
the arrows that folder may use.

Usage: check_includes.py SOURCE_DIR      check the tree
       check_includes.py --self-test     prove the check catches a wrong include
Only the Python standard library.
"""
import os
import re
import sys
import tempfile

# Which top-level folders each folder's code may include from (besides its own). Tests and
# benchmarks may include anything and are not checked; any other top-level folder with C++ sources
# is an error until it is given its arrows here (and in the README).
NOT_LAYERS = {"tests", "bench", "docker", "scripts", "migrations"}
ALLOWED = {
    "domain": set(),
    "sandbox": set(),
    "validator_rules": set(),
    "core": {"domain"},
    "judge": {"domain", "sandbox", "validator_rules"},
    "package": {"domain", "core", "validator_rules"},
    "workers": {"domain", "core", "judge", "validator_rules"},
    "api": {"domain", "core", "package"},
    "judgectl": {"domain", "core", "package"},
}
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]')
SOURCE_FILE = re.compile(r"\.(cc|cpp|h|hpp)$")


def folder_of(path):
    """The project folder an included path names ("judge/judge.h" -> judge), or None for a
    header of the same folder or of a system library."""
    first = path.split("/", 1)[0]
    return first if "/" in path and first in ALLOWED else None


def unplaced_folders(root):
    """Top-level folders with C++ sources that are neither a layer nor exempt."""
    found = []
    for entry in sorted(os.listdir(root)):
        path = os.path.join(root, entry)
        if (not os.path.isdir(path) or entry.startswith(".") or entry.startswith("build")
                or entry in ALLOWED or entry in NOT_LAYERS):
            continue
        if any(SOURCE_FILE.search(f) for _, _, files in os.walk(path) for f in files):
            found.append(f"{entry}/: C++ sources in a folder that is not a layer (add it to "
                         f"ALLOWED in {os.path.basename(__file__)} and to the README)")
    return found


def uncopied_layers(root):
    """Layers docker/Dockerfile does not copy into the image it builds (it copies folder by folder
    so that editing docs does not recompile; a new layer must be added there too)."""
    dockerfile = os.path.join(root, "docker", "Dockerfile")
    if not os.path.exists(dockerfile):
        return []
    with open(dockerfile, encoding="utf-8") as text:
        copied = {m.group(1) for m in re.finditer(r"^COPY (\S+) \1$", text.read(), re.M)}
    return [f"docker/Dockerfile: no 'COPY {layer} {layer}' (the image would not build)"
            for layer in sorted(ALLOWED) if layer not in copied]


def violations(root):
    found = unplaced_folders(root) + uncopied_layers(root)
    for folder, allowed in ALLOWED.items():
        for dirpath, _, files in os.walk(os.path.join(root, folder)):
            for name in sorted(files):
                if not SOURCE_FILE.search(name):
                    continue
                path = os.path.join(dirpath, name)
                with open(path, encoding="utf-8", errors="replace") as source:
                    for number, line in enumerate(source, 1):
                        match = INCLUDE.match(line)
                        target = folder_of(match.group(1)) if match else None
                        if target and target != folder and target not in allowed:
                            found.append(f"{os.path.relpath(path, root)}:{number}: includes "
                                         f"{match.group(1)}, but {folder}/ may include only "
                                         f"{', '.join(sorted(allowed | {folder}))}")
    return found


def self_test():
    """A tiny tree with wrong arrows (api including judge, sandbox including core), right ones
    and a folder that is no layer."""
    with tempfile.TemporaryDirectory() as root:
        for folder, text in (("api", '#include "core/store.h"\n#include "judge/judge.h"\n'),
                             ("core", '#include "core/model.h"\n#include <vector>\n'),
                             ("sandbox", '#include "sandbox/x.h"\n#include "core/model.h"\n'),
                             ("newthing", '#include <vector>\n')):
            os.makedirs(os.path.join(root, folder))
            with open(os.path.join(root, folder, "x.cc"), "w") as out:
                out.write(text)
        found = violations(root)
    expected = [f"newthing/: C++ sources in a folder that is not a layer (add it to ALLOWED in "
                f"{os.path.basename(__file__)} and to the README)",
                "api/x.cc:2: includes judge/judge.h, but api/ may include only api, core, "
                "domain, package",
                "sandbox/x.cc:2: includes core/model.h, but sandbox/ may include only sandbox"]
    if sorted(found) != sorted(expected):
        print(f"FAIL: the check found {found}, expected {expected}")
        return 1
    print("ok: the check catches every wrong include:\n  " + "\n  ".join(found))
    return 0


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    if len(sys.argv) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    found = violations(sys.argv[1])
    for line in found:
        print(line)
    checked = ", ".join(f"{f}/ -> {', '.join(sorted(a)) or 'nothing'}" for f, a in ALLOWED.items())
    print(f"{len(found)} problem(s) against the layers ({checked})")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
