# Spins forever in Python: the CPU limit must end it.
# expect: limit=cpu signal=9|24
while True:
    pass
