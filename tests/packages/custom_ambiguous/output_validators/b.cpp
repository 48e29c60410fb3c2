int main(){return 43;}
