package main

func main() {
	undefined_function()
}
