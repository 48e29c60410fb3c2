#!/usr/bin/python3
"""A judge-box whose cgroups do not apply: the worker's self-check must refuse it.

Speaks `judge-box --serve` (a ready line, then one JSON request line -> one facts line) and runs
each program for real, with the per-process rlimits judge-box sets as well (RLIMIT_CPU one second
past the CPU limit, RLIMIT_FSIZE, RLIMIT_NOFILE, RLIMIT_STACK) and the wall limit, but nothing of
what cgroups give: no memory limit, no process limit, no CPU time of the whole tree. Its ready
line claims cgroup v1 as a host with broken cgroups would: the worker must not take the claim.
Test use only (tests/e2e/recovery_test.cc); it is no sandbox.
"""
import json
import os
import resource
import signal
import subprocess
import sys
import time

VALUE_OPTIONS = {"--cpu-ms", "--wall-ms", "--mem-kib", "--procs", "--out-kib", "--open-files",
                 "--work-dir", "--stdin", "--stdout", "--stderr", "--env"}


def parse(args):
    options, env = {}, []
    i = 0
    while args[i] != "--":
        if args[i] in VALUE_OPTIONS:
            if args[i] == "--env":
                env.append(args[i + 1])
            else:
                options[args[i]] = args[i + 1]
            i += 2
        else:
            i += 1  # --rw
    return options, env, args[i + 1:]


def rlimits(options):
    cpu_s = (int(options.get("--cpu-ms", "1000")) + 999) // 1000 + 1
    out = int(options.get("--out-kib", "65536")) * 1024
    mem = int(options.get("--mem-kib", "262144")) * 1024

    def apply():
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 1))
        resource.setrlimit(resource.RLIMIT_FSIZE, (out, out))
        files = int(options.get("--open-files", "64"))
        resource.setrlimit(resource.RLIMIT_NOFILE, (files, files))
        resource.setrlimit(resource.RLIMIT_STACK, (mem, mem))
    return apply


def run(args):
    options, env, argv = parse(args)
    environment = {"PATH": "/usr/bin:/bin"}
    environment.update(kv.split("=", 1) for kv in env)
    def stream(name, mode):
        return open(options.get(name) or "/dev/null", mode)
    started = time.monotonic()
    with stream("--stdin", "rb") as i, stream("--stdout", "wb") as o, stream("--stderr", "wb") as e:
        child = subprocess.Popen(argv, cwd=options["--work-dir"], env=environment, stdin=i,
                                 stdout=o, stderr=e, preexec_fn=rlimits(options),
                                 start_new_session=True)
        wall_s = int(options.get("--wall-ms", "3000")) / 1000
        killed_for_wall = False
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - started >= wall_s:
                os.killpg(child.pid, signal.SIGKILL)
                killed_for_wall = True
                pid, status, usage = os.wait4(child.pid, 0)
                break
            time.sleep(0.005)
    try:
        os.killpg(child.pid, signal.SIGKILL)  # Background children: a box would not keep them.
    except ProcessLookupError:
        pass
    signalled = os.WIFSIGNALED(status)
    sig = os.WTERMSIG(status) if signalled else 0
    limit = "wall" if killed_for_wall else "cpu" if sig == signal.SIGXCPU else "none"
    return {"exited": os.WIFEXITED(status),
            "exit_code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else 0,
            "signal": sig,
            "cpu_ms": int((usage.ru_utime + usage.ru_stime) * 1000),
            "wall_ms": int((time.monotonic() - started) * 1000),
            "peak_memory_kib": usage.ru_maxrss,
            "oom_killed": False,
            "limit_hit": limit,
            "output_truncated": False,
            "end_us": int(time.monotonic() * 1e6)}


def main():
    print(json.dumps({"ready": True, "cgroup": "v1"}), flush=True)
    for line in sys.stdin:
        try:
            answer = run(json.loads(line)["args"])
        except Exception as e:  # The protocol's error answer, as judge-box gives it.
            answer = {"error": "rlimits_only_box: %s" % e}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
