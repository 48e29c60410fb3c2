// A template bomb: the parameter pack doubles at every level.
template <int... Is> struct List {};
template <int N, int... Is> struct Grow : Grow<N - 1, Is..., Is...> {};
template <int... Is> struct Grow<0, Is...> { List<Is...> list; };
Grow<40, 1> bomb;
int main() {}
