a, b = map(int, input().split())
print(a * b)  # Multiplies: right on neither test.
