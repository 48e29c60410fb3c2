# Allocates and touches 200 MiB under a 64 MiB limit (bytearray repetition writes every byte).
data = bytearray(b"x") * (200 << 20)
print(len(data))
