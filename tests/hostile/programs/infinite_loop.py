# Spins forever in Python: the CPU limit must end it (generous wall: see infinite_loop.c).
# expect: limit=cpu signal=9|24
# limits: cpu_ms=300 wall_ms=6000
while True:
    pass
