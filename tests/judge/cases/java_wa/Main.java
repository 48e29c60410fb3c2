import java.util.Scanner;

// Subtracts instead of adding.
public class Main {
  public static void main(String[] args) {
    Scanner in = new Scanner(System.in);
    long a = in.nextLong(), b = in.nextLong();
    System.out.println(a - b);
  }
}
