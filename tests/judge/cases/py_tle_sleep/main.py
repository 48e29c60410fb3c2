import time

time.sleep(30)  # No CPU: only the wall-clock limit stops it.
