// Includes itself until the preprocessor gives up.
#include __FILE__
int main() { return 0; }
