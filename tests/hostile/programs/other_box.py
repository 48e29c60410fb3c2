# Another box runs at the same time with a secret in its work dir. It must be unreachable by
# its host path, through /proc (its pids live in another pid namespace) and through /run.
# expect: exit=0 stdout_has=done stdout_lacks=LEAK stdout_lacks=hostile-secret
# args: {other_dir} {other_secret} {other_uid}
# needs: other_box
import os, sys
other_dir, other_secret, other_uid = sys.argv[1], sys.argv[2], int(sys.argv[3])
for path in (other_secret, other_dir):
    if os.path.exists(path):
        print("LEAK: exists", path)
for pid in os.listdir("/proc"):
    if not pid.isdigit():
        continue
    try:
        st = os.stat("/proc/" + pid)
    except OSError:
        continue
    if st.st_uid != os.getuid():
        print("LEAK: sees pid", pid, "of uid", st.st_uid)
    for rel in ("root/box/secret.txt", "cwd/secret.txt", "root" + other_secret):
        try:
            with open("/proc/%s/%s" % (pid, rel)) as f:
                print("LEAK:", pid, rel, f.read(40))
        except OSError:
            pass
for path in ("/run/judge-box", "/sys/fs/cgroup"):
    try:
        print("LEAK: lists", path, os.listdir(path))
    except OSError:
        pass
print("done")
