# Sleeps in Python: only the wall limit can end it.
# expect: limit=wall signal=9
# limits: wall_ms=1000
import time
time.sleep(100)
