int main() { this does not compile }
