# Same 2 GiB file, but Python ignores SIGXFSZ: the write must fail with EFBIG.
# expect: exit=0 stdout_has=efbig stdout_lacks=LEAK
import errno
block = b"f" * (1 << 20)
written = 0
try:
    with open("/tmp/big", "wb", buffering=0) as f:
        for _ in range(2048):
            written += f.write(block)
    print("LEAK: wrote", written)
except OSError as e:
    print("efbig" if e.errno == errno.EFBIG else "other error %d" % e.errno, written)
