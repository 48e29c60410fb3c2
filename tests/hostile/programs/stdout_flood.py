# Python ignores SIGXFSZ: print() gets EFBIG at the output limit and the program dies of the
# exception.
# expect: output_truncated limit=output exit=1|120
import sys
line = "z" * 1023 + "\n"
while True:
    sys.stdout.write(line)
