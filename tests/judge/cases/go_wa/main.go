package main

import "fmt"

// Subtracts instead of adding.
func main() {
	var a, b int64
	fmt.Scan(&a, &b)
	fmt.Println(a - b)
}
